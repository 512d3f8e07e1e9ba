// The inputs of the tool catalog's use cases, parsed with zod at every boundary.
import { z } from "zod";
import { SCOPE_PATTERN } from "@/lib/agents/limits";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { looksLikeSecret, multilineText, NOT_A_SECRET } from "@/lib/resources/free-text";

export const RISKS = ["read", "write", "irreversible"] as const;
export const MAX_PARAMS_SCHEMA_BYTES = 16_384;

/** Tool names are the scopes agents ask for: dotted lower-case words, e.g. github.push. */
export const toolNameSchema = z
  .string()
  .trim()
  .max(100, "must be at most 100 characters")
  .regex(SCOPE_PATTERN, "must be a tool name like github.push (lower-case words separated by dots)");

export const riskSchema = z.enum(RISKS, { message: `must be one of ${RISKS.join(", ")}` });

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A JSON schema of the tool's parameters: an object schema at the top (`type: "object"`), its `properties`, when
 * given, an object of schemas. Stored as canonical JSON. Grants may constrain only the properties it lists (when it
 * lists any).
 */
export const paramsSchemaSchema = z
  .record(z.string(), z.unknown(), { message: "must be a JSON object" })
  .refine((s) => s.type === "object", 'must be a JSON schema with type "object" at the top')
  .refine((s) => s.properties === undefined || (isPlainObject(s.properties) && Object.values(s.properties).every(isPlainObject)), {
    message: "must be an object of JSON schemas",
    path: ["properties"],
  })
  .refine((s) => canonicalJson(s).length <= MAX_PARAMS_SCHEMA_BYTES, `must be at most ${MAX_PARAMS_SCHEMA_BYTES} characters as JSON`)
  .refine((s) => !looksLikeSecret(canonicalJson(s)), NOT_A_SECRET);

export const createToolInput = z.object({
  name: toolNameSchema,
  description: multilineText(500).default(""),
  paramsSchema: paramsSchemaSchema.optional(),
  risk: riskSchema,
});
export type CreateToolInput = z.input<typeof createToolInput>;

/** A tool's name is what tokens carry in their scope: it cannot change. Delete and create another instead. */
export const updateToolInput = z
  .object({
    description: multilineText(500).optional(),
    /** null clears the schema (any parameters) */
    paramsSchema: paramsSchemaSchema.nullable().optional(),
    risk: riskSchema.optional(),
  })
  .strict();
export type UpdateToolInput = z.input<typeof updateToolInput>;
