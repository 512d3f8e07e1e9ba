// POST /api/v1/approvals/{approvalId}/cancel: the agent that asked, or an admin, withdraws a pending request.
import { cancelApproval } from "@/lib/approvals/cancel-approval";
import { agentApiRoute } from "@/lib/http/agent-api-route";

export const runtime = "nodejs";

export const POST = agentApiRoute({ roles: ["admin"], agents: true }, async ({ db, caller, params }) =>
  caller.kind === "agent"
    ? cancelApproval(db, params.approvalId!, { kind: "agent", agentId: caller.agentId }, caller.actor)
    : cancelApproval(db, params.approvalId!, { kind: "console", user: null }, caller.principal.actor),
);
