// The inputs of the resource server use cases, parsed with zod at every boundary.
import { z } from "zod";
import { freeText, multilineText } from "@/lib/resources/free-text";
import { DEFAULT_RS_ROTATION_GRACE_HOURS, DEFAULT_RS_SECRET_TTL_DAYS, MAX_RS_ROTATION_GRACE_HOURS, MAX_RS_SECRET_TTL_DAYS } from "./format";

/** An absolute URI without a fragment (RFC 8707 section 2), e.g. https://mcp.acme.test/github. */
export const audienceSchema = freeText(500, 1).refine((v) => {
  if (!URL.canParse(v)) return false;
  const u = new URL(v);
  return !v.includes("#") && /^[a-z][a-z0-9+.-]*:$/i.test(u.protocol);
}, "must be an absolute URI without a fragment, e.g. https://mcp.example.com");

export const secretExpiresInDaysSchema = z
  .number()
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(MAX_RS_SECRET_TTL_DAYS, `must be at most ${MAX_RS_SECRET_TTL_DAYS} days`);

export const createResourceServerInput = z.object({
  name: freeText(100, 1),
  audience: audienceSchema,
  description: multilineText(500).default(""),
  /** the first secret's lifetime */
  secretExpiresInDays: secretExpiresInDaysSchema.default(DEFAULT_RS_SECRET_TTL_DAYS),
});
export type CreateResourceServerInput = z.input<typeof createResourceServerInput>;

export const rotateResourceServerSecretInput = z.object({
  /** how long the replaced secrets keep working; 0 ends them now. Never past their own expiry. */
  graceHours: z
    .number()
    .int("must be a whole number of hours")
    .min(0, "must be 0 or more")
    .max(MAX_RS_ROTATION_GRACE_HOURS, `must be at most ${MAX_RS_ROTATION_GRACE_HOURS} hours`)
    .default(DEFAULT_RS_ROTATION_GRACE_HOURS),
  expiresInDays: secretExpiresInDaysSchema.default(DEFAULT_RS_SECRET_TTL_DAYS),
});
export type RotateResourceServerSecretInput = z.input<typeof rotateResourceServerSecretInput>;
