import { z } from "zod";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "must be an email address" }).max(254));

export const roleSchema = z.enum(CONSOLE_ROLES, { message: `must be one of ${CONSOLE_ROLES.join(", ")}` });

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(256, "must be at most 256 characters");

export const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(120).optional(),
  role: roleSchema.default("viewer"),
  /** when absent, a random one is generated and returned once (the invitation) */
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const updateUserInput = z
  .object({
    name: z.string().trim().min(1).max(120).nullable().optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UpdateUserInput = z.input<typeof updateUserInput>;

export const setPasswordInput = z.object({ password: passwordSchema.optional() });
