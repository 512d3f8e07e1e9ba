// The inputs of the grant use cases, parsed with zod at every boundary. The OpenAPI document takes its request
// bodies and query parameters from these same schemas.
//
// Constraints and schedules are parsed by the authorization core's own schemas (lib/authz/constraints.ts,
// schedule.ts), so that what a grant stores is exactly what the decision engine loads; the limits below only add
// what the API needs on top (a bounded number of constrained parameters, no secrets in values).
import { z } from "zod";
import { constraintsSchema as coreConstraintsSchema } from "@/lib/authz/constraints";
import { scheduleSchema as coreScheduleSchema } from "@/lib/authz/schedule";
import type { ParamConstraint } from "@/lib/authz/types";
import { looksLikeSecret, multilineText, NOT_A_SECRET } from "@/lib/resources/free-text";
import { nodeRefSchema } from "@/lib/resources/schemas";

export const MAX_CONSTRAINTS = 20;
export const MAX_GRANTS_PAGE = 500;

const constraintStrings = (c: ParamConstraint): string[] =>
  "equals" in c ? [String(c.equals)] : "oneOf" in c ? c.oneOf.map(String) : "glob" in c ? [c.glob] : [];

/** Per parameter: { equals } | { oneOf } | { glob } | { max } (lib/authz/constraints.ts). */
export const constraintsSchema = coreConstraintsSchema.superRefine((constraints, ctx) => {
  const params = Object.keys(constraints);
  if (params.length > MAX_CONSTRAINTS) ctx.addIssue({ code: "custom", message: `at most ${MAX_CONSTRAINTS} constrained parameters` });
  for (const param of params) {
    // values are recorded in the audit trail, which refuses secrets
    if (constraintStrings(constraints[param]!).some(looksLikeSecret)) ctx.addIssue({ code: "custom", message: NOT_A_SECRET, path: [param] });
  }
}).describe('Per parameter exactly one of { equals }, { oneOf: [...] }, { glob } (* and ?) or { max }, e.g. { "branch": { "glob": "feature-*" } }');

/** A weekly window: days 0 (Sunday) to 6, start/end "HH:MM" in an IANA time zone, end exclusive (lib/authz/schedule.ts). */
export const scheduleSchema = coreScheduleSchema;

export const PRINCIPAL_TYPES = ["agent", "user"] as const;

/** Who the grant is for: an agent by id, or a user by id or email. */
export const principalInputSchema = z
  .object({
    type: z.enum(PRINCIPAL_TYPES, { message: "must be agent or user" }),
    id: z.string().trim().min(1).max(254).optional(),
    email: z.string().trim().toLowerCase().max(254).optional(),
  })
  .strict()
  .refine((p) => (p.id ? 1 : 0) + (p.email ? 1 : 0) === 1, { message: "give id (or, for a user, email)", path: ["id"] })
  .refine((p) => !(p.type === "agent" && p.email), { message: "agents are named by id", path: ["email"] });
export type PrincipalInput = z.input<typeof principalInputSchema>;

const isoDateTime = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-12-01T09:00:00Z" });

export const createGrantInput = z
  .object({
    principal: principalInputSchema,
    /** a role's id or name */
    role: z.string().trim().min(1).max(100).optional(),
    /** a tool's id or name */
    tool: z.string().trim().min(1).max(100).optional(),
    /** the node's id or path */
    node: nodeRefSchema,
    constraints: constraintsSchema.default({}),
    notBefore: isoDateTime.optional(),
    expiresAt: isoDateTime.optional(),
    schedule: scheduleSchema.optional(),
    /** every call under this grant needs a human approval, whatever the tool's risk */
    requiresApproval: z.boolean().default(false),
    reason: multilineText(500, 1),
  })
  .strict()
  .refine((g) => (g.role === undefined) !== (g.tool === undefined), { message: "give exactly one of role or tool", path: ["role"] })
  .refine((g) => !g.notBefore || !g.expiresAt || Date.parse(g.expiresAt) > Date.parse(g.notBefore), {
    message: "must be after notBefore",
    path: ["expiresAt"],
  });
export type CreateGrantInput = z.input<typeof createGrantInput>;

export const GRANT_STATUSES = ["active", "scheduled", "expired", "revoked"] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export const listGrantsQuery = z.object({
  principalType: z.enum(PRINCIPAL_TYPES, { message: "must be agent or user" }).optional(),
  /** an agent id, a user id, or a user's email */
  principalId: z.string().trim().min(1).max(254).optional(),
  /** a node id or path: the grants on it (and with includeInherited, on its ancestors) */
  node: nodeRefSchema.optional(),
  /** a boolean, or "true"/"false" in a query string */
  includeInherited: z.union([z.boolean(), z.stringbool()], { error: "must be true or false" }).default(false),
  role: z.string().trim().min(1).max(100).optional(),
  tool: z.string().trim().min(1).max(100).optional(),
  /** status at the time of the request; `all` lists every grant */
  status: z.enum([...GRANT_STATUSES, "all"], { message: "must be active, scheduled, expired, revoked or all" }).default("all"),
  /** opaque, from the previous page's nextCursor */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_GRANTS_PAGE).default(100),
});
export type ListGrantsQuery = z.input<typeof listGrantsQuery>;
