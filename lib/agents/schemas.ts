// The inputs of the agent use cases, parsed with zod at every boundary (API bodies, the console, the CLI). The
// OpenAPI document takes its request bodies from these same schemas.
import { z } from "zod";
import { looksLikeSecret } from "@/lib/audit/record-event";
import {
  AGENT_KINDS,
  AGENT_STATUSES,
  DEFAULT_ROTATION_GRACE_HOURS,
  DEFAULT_SECRET_TTL_DAYS,
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_ROTATION_GRACE_HOURS,
  MAX_SECRET_TTL_DAYS,
  MAX_TOKEN_TTL_SECONDS,
  MIN_TOKEN_TTL_SECONDS,
  SCOPE_PATTERN,
} from "./limits";

export const MAX_ALLOWED_SCOPES = 100;

/** Free text is recorded in the audit trail, which refuses secrets: a pasted secret is refused here, with a 400. */
const NOT_A_SECRET = "looks like a Deputy secret; never put a secret here";

export const agentNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100, "must be at most 100 characters")
  .refine((v) => !looksLikeSecret(v), NOT_A_SECRET);

export const descriptionSchema = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .refine((v) => !looksLikeSecret(v), NOT_A_SECRET);

/** A user id (usr_...) or an email address; resolved (and checked to be an active user) by the use case. */
export const ownerSchema = z.string().trim().min(1, "is required").max(254);

export const kindSchema = z.enum(AGENT_KINDS, { message: `must be one of ${AGENT_KINDS.join(", ")}` });

export const tokenTtlSchema = z
  .number()
  .int("must be a whole number of seconds")
  .min(MIN_TOKEN_TTL_SECONDS, `must be at least ${MIN_TOKEN_TTL_SECONDS} seconds`)
  .max(MAX_TOKEN_TTL_SECONDS, `must be at most ${MAX_TOKEN_TTL_SECONDS} seconds`);

/**
 * Tool names the agent may ask for: an array, or one space-separated string as in OAuth's `scope`.
 * Parsed to a sorted list without duplicates, so that equal sets are stored as equal text.
 */
export const allowedScopesSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v.map((s) => s.trim()) : v.split(/\s+/)).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .max(100, "a scope must be at most 100 characters")
          .regex(SCOPE_PATTERN, "must be tool names like github.push")
          .refine((v) => !looksLikeSecret(v), NOT_A_SECRET),
      )
      .max(MAX_ALLOWED_SCOPES, `at most ${MAX_ALLOWED_SCOPES} scopes`),
  )
  .transform((scopes) => [...new Set(scopes)].sort());

export const MAX_REDIRECT_URIS = 20;

/** https anywhere; plain http only to this machine (RFC 8252 7.3 loopback), where no one else can listen. */
function redirectUriProblem(uri: string): string | null {
  if (!URL.canParse(uri)) return "must be an absolute URL";
  const url = new URL(uri);
  if (uri.includes("#")) return "must not have a fragment";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) return null;
  return "must use https (http only for localhost or 127.0.0.1)";
}

/**
 * Where /oauth/authorize may send a person back with a code: an array, or one space-separated string. Stored as
 * given (sorted, without duplicates) and matched exactly, character for character, never by prefix.
 */
export const redirectUrisSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v.map((s) => s.trim()) : v.split(/\s+/)).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .max(2000, "a redirect URI must be at most 2000 characters")
          .refine((v) => !/\s/.test(v), "must not contain spaces")
          .refine((v) => !looksLikeSecret(v), NOT_A_SECRET)
          .superRefine((v, ctx) => {
            const problem = redirectUriProblem(v);
            if (problem) ctx.addIssue({ code: "custom", message: `${v} ${problem}` });
          }),
      )
      .max(MAX_REDIRECT_URIS, `at most ${MAX_REDIRECT_URIS} redirect URIs`),
  )
  .transform((uris) => [...new Set(uris)].sort());

export const secretExpiresInDaysSchema = z
  .number()
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(MAX_SECRET_TTL_DAYS, `must be at most ${MAX_SECRET_TTL_DAYS} days`);

export const createAgentInput = z.object({
  name: agentNameSchema,
  description: descriptionSchema.optional(),
  owner: ownerSchema,
  kind: kindSchema.default("autonomous"),
  tokenTtlSeconds: tokenTtlSchema.default(DEFAULT_TOKEN_TTL_SECONDS),
  allowedScopes: allowedScopesSchema.default([]),
  canIntrospect: z.boolean().default(false),
  /** for on-behalf-of agents: where the authorization code flow may return (exact match) */
  redirectUris: redirectUrisSchema.default([]),
  /** false: no first client secret (e.g. the agent will use private_key_jwt only) */
  withSecret: z.boolean().default(true),
  /** the first secret's lifetime */
  secretExpiresInDays: secretExpiresInDaysSchema.default(DEFAULT_SECRET_TTL_DAYS),
});
export type CreateAgentInput = z.input<typeof createAgentInput>;

export const updateAgentInput = z
  .object({
    name: agentNameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    owner: ownerSchema.optional(),
    kind: kindSchema.optional(),
    tokenTtlSeconds: tokenTtlSchema.optional(),
    allowedScopes: allowedScopesSchema.optional(),
    canIntrospect: z.boolean().optional(),
    redirectUris: redirectUrisSchema.optional(),
  })
  .strict();
export type UpdateAgentInput = z.input<typeof updateAgentInput>;

export const AGENT_SORTS = ["name", "createdAt", "lastSeenAt"] as const;
export type AgentSort = (typeof AGENT_SORTS)[number];

export const listAgentsQuery = z.object({
  /** part of the name, or an exact agent id */
  q: z.string().trim().max(100).optional(),
  status: z.enum(AGENT_STATUSES).optional(),
  kind: kindSchema.optional(),
  ownerId: z.string().trim().max(100).optional(),
  sort: z.enum(AGENT_SORTS).default("createdAt"),
  order: z.enum(["asc", "desc"]).optional(),
  /** opaque, from the previous page's nextCursor */
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListAgentsQuery = z.input<typeof listAgentsQuery>;

export const createClientSecretInput = z.object({
  expiresInDays: secretExpiresInDaysSchema.default(DEFAULT_SECRET_TTL_DAYS),
});
export type CreateClientSecretInput = z.input<typeof createClientSecretInput>;

export const rotateClientSecretInput = z.object({
  /** how long the replaced secrets keep working; 0 ends them now. Never past their own expiry. */
  graceHours: z
    .number()
    .int("must be a whole number of hours")
    .min(0, "must be 0 or more")
    .max(MAX_ROTATION_GRACE_HOURS, `must be at most ${MAX_ROTATION_GRACE_HOURS} hours`)
    .default(DEFAULT_ROTATION_GRACE_HOURS),
  /** the new secret's lifetime */
  expiresInDays: secretExpiresInDaysSchema.default(DEFAULT_SECRET_TTL_DAYS),
});
export type RotateClientSecretInput = z.input<typeof rotateClientSecretInput>;

export const PUBLIC_KEY_ALGS = ["ES256", "EdDSA", "RS256"] as const;
export type PublicKeyAlg = (typeof PUBLIC_KEY_ALGS)[number];

export const addPublicKeyInput = z.object({
  /** a public JWK: EC P-256, OKP Ed25519 or RSA of 2048 bits or more; checked in full by add-public-key */
  jwk: z.record(z.string(), z.unknown(), { message: "must be a JSON Web Key object" }),
  alg: z.enum(PUBLIC_KEY_ALGS, { message: `must be one of ${PUBLIC_KEY_ALGS.join(", ")}` }).optional(),
});
export type AddPublicKeyInput = z.input<typeof addPublicKeyInput>;

/** The kill switch: `confirm` must be the agent's name, typed out, so that nobody cuts off the wrong agent by id. */
export const killAgentInput = z.object({
  confirm: z.string().max(200),
  reason: descriptionSchema.optional(),
});
export type KillAgentInput = z.input<typeof killAgentInput>;

/** Restoring a killed agent issues it a fresh client secret; its old credentials stay revoked. */
export const restoreAgentInput = z.object({
  secretExpiresInDays: secretExpiresInDaysSchema.default(DEFAULT_SECRET_TTL_DAYS),
});
export type RestoreAgentInput = z.input<typeof restoreAgentInput>;
