// POST /api/v1/approvals/{approvalId}/decide: an eligible approver approves (with their password again) or denies.
import { decideApproval } from "@/lib/approvals/decide-approval";
import { decideApprovalInput } from "@/lib/approvals/schemas";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin", "approver"], body: decideApprovalInput }, async ({ db, params, body, principal }) =>
  decideApproval(db, params.approvalId!, body, principal.actor),
);
