// GET /api/v1/approvals/{approvalId}: one request, for approvers (everything) or for the agent that asked (its own
// only). `?wait=N` (N <= 30) holds the answer until the status changes or N seconds pass (long poll).
import { waitForApproval } from "@/lib/approvals/get-approval";
import { getApprovalQuery } from "@/lib/approvals/schemas";
import { SECTION_ROLES } from "@/lib/auth/roles";
import { agentApiRoute } from "@/lib/http/agent-api-route";

export const runtime = "nodejs";

export const GET = agentApiRoute({ roles: SECTION_ROLES.approvals, agents: true, query: getApprovalQuery }, async ({ db, caller, params, query, request }) => {
  const reader =
    caller.kind === "agent"
      ? ({ kind: "agent", agentId: caller.agentId } as const)
      : ({ kind: "console", user: caller.principal.actor.type === "user" ? { id: caller.principal.actor.id, role: caller.principal.role } : null } as const);
  return waitForApproval(db, params.approvalId!, reader, query.wait, request.signal);
});
