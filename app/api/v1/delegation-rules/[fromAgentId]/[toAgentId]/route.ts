// DELETE /api/v1/delegation-rules/{fromAgentId}/{toAgentId}: agent `from` may no longer delegate to agent `to` (admins).
import { deleteDelegationRule } from "@/lib/delegation/delete-delegation-rule";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) =>
  deleteDelegationRule(db, { from: params.fromAgentId!, to: params.toAgentId! }, principal.actor),
);
