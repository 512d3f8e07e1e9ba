// GET /api/v1/delegation-rules: which agent may delegate to which (token exchange, RFC 8693). POST: allow agent
// `from` to delegate to agent `to` (admins).
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { createDelegationRule } from "@/lib/delegation/create-delegation-rule";
import { listDelegationRules } from "@/lib/delegation/list-delegation-rules";
import { delegationRuleInput, listDelegationRulesQuery } from "@/lib/delegation/schemas";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES, query: listDelegationRulesQuery }, async ({ db, query }) => ({ rules: await listDelegationRules(db, query) }));

export const POST = apiRoute({ roles: ["admin"], body: delegationRuleInput }, async ({ db, body, principal }) =>
  created(await createDelegationRule(db, body, principal.actor)),
);
