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

/** The JSON Schema type names. The constraint checker (lib/grants/check-constraints.ts) reads a property's `type`. */
export const JSON_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;
const isJsonType = (v: unknown) => typeof v === "string" && (JSON_TYPES as readonly string[]).includes(v);

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
  // what grants are checked against must be readable: a property's type is a JSON type name (or a list of them),
  // and `required` names listed properties. A typo there would otherwise silently let any constraint through.
  .superRefine((s, ctx) => {
    const properties = isPlainObject(s.properties) ? s.properties : {};
    for (const [name, prop] of Object.entries(properties)) {
      const t = (prop as Record<string, unknown>).type;
      if (t !== undefined && !isJsonType(t) && !(Array.isArray(t) && t.length > 0 && t.every(isJsonType))) {
        ctx.addIssue({ code: "custom", path: ["properties", name, "type"], message: `must be one of ${JSON_TYPES.join(", ")}` });
      }
    }
    const required = s.required;
    if (required === undefined) return;
    if (!Array.isArray(required) || !required.every((r) => typeof r === "string")) {
      ctx.addIssue({ code: "custom", path: ["required"], message: "must be a list of property names" });
    } else if (s.properties !== undefined) {
      const missing = required.find((r) => !Object.hasOwn(properties, r));
      if (missing !== undefined) ctx.addIssue({ code: "custom", path: ["required"], message: `names ${missing}, which properties does not list` });
    }
  })
  .refine((s) => canonicalJson(s).length <= MAX_PARAMS_SCHEMA_BYTES, `must be at most ${MAX_PARAMS_SCHEMA_BYTES} characters as JSON`)
  .refine((s) => !looksLikeSecret(canonicalJson(s)), NOT_A_SECRET);

/**
 * Who may approve a call that needs approval: anyone with the approver role (any), anyone but the user the agent
 * acts for (not_subject), or approvalQuorum distinct approvers (quorum).
 */
export const APPROVAL_POLICIES = ["any", "not_subject", "quorum"] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];
export const MAX_APPROVAL_QUORUM = 20;
export const MIN_APPROVAL_TTL_SECONDS = 60;
export const MAX_APPROVAL_TTL_SECONDS = 86_400;

export const approvalPolicySchema = z.enum(APPROVAL_POLICIES, { message: `must be one of ${APPROVAL_POLICIES.join(", ")}` });
export const approvalQuorumSchema = z
  .number({ message: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_APPROVAL_QUORUM, `must be at most ${MAX_APPROVAL_QUORUM}`);
export const approvalTtlSecondsSchema = z
  .number({ message: "must be a whole number of seconds" })
  .int("must be a whole number of seconds")
  .min(MIN_APPROVAL_TTL_SECONDS, `must be at least ${MIN_APPROVAL_TTL_SECONDS} (a minute)`)
  .max(MAX_APPROVAL_TTL_SECONDS, `must be at most ${MAX_APPROVAL_TTL_SECONDS} (a day)`);

export const QUORUM_NEEDS_POLICY = "above 1 needs approvalPolicy quorum";

export const createToolInput = z.object({
  name: toolNameSchema,
  description: multilineText(500).default(""),
  paramsSchema: paramsSchemaSchema.optional(),
  risk: riskSchema,
  approvalPolicy: approvalPolicySchema.default("any"),
  approvalQuorum: approvalQuorumSchema.default(1),
  approvalTtlSeconds: approvalTtlSecondsSchema.default(600),
}).refine((t) => t.approvalPolicy === "quorum" || t.approvalQuorum === 1, { message: QUORUM_NEEDS_POLICY, path: ["approvalQuorum"] });
export type CreateToolInput = z.input<typeof createToolInput>;

/** A tool's name is what tokens carry in their scope: it cannot change. Delete and create another instead. */
export const updateToolInput = z
  .object({
    description: multilineText(500).optional(),
    /** null clears the schema (any parameters) */
    paramsSchema: paramsSchemaSchema.nullable().optional(),
    risk: riskSchema.optional(),
    /** leaving quorum without saying approvalQuorum resets it to 1 */
    approvalPolicy: approvalPolicySchema.optional(),
    approvalQuorum: approvalQuorumSchema.optional(),
    approvalTtlSeconds: approvalTtlSecondsSchema.optional(),
  })
  .strict();
export type UpdateToolInput = z.input<typeof updateToolInput>;
