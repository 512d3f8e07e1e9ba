// The inputs of the role use cases, parsed with zod at every boundary.
import { z } from "zod";
import { freeText, multilineText } from "@/lib/resources/free-text";

export const MAX_ROLE_TOOLS = 500;

export const roleNameSchema = freeText(64, 1);

/** Tool names or ids; duplicates collapse. */
export const roleToolsSchema = z
  .array(z.string().trim().min(1, "is required").max(100))
  .max(MAX_ROLE_TOOLS, `at most ${MAX_ROLE_TOOLS} tools`)
  .transform((refs) => [...new Set(refs)]);

export const createRoleInput = z.object({
  name: roleNameSchema,
  description: multilineText(500).default(""),
  tools: roleToolsSchema.default([]),
});
export type CreateRoleInput = z.input<typeof createRoleInput>;

export const updateRoleInput = z
  .object({
    name: roleNameSchema.optional(),
    description: multilineText(500).optional(),
    /** the role's whole set of tools (names or ids) */
    tools: roleToolsSchema.optional(),
  })
  .strict();
export type UpdateRoleInput = z.input<typeof updateRoleInput>;
