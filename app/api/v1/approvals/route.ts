// GET /api/v1/approvals: approval requests newest first (filters status, agent, tool; keyset paging), with the number
// pending. POST: an agent, with its own access token, asks a person to confirm one exact call before it makes it.
import { listApprovals } from "@/lib/approvals/list-approvals";
import { requestApproval } from "@/lib/approvals/request-approval";
import { listApprovalsQuery, requestApprovalInput } from "@/lib/approvals/schemas";
import { SECTION_ROLES } from "@/lib/auth/roles";
import { agentApiRoute } from "@/lib/http/agent-api-route";
import { apiRoute, created } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors/app-error";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: SECTION_ROLES.approvals, query: listApprovalsQuery }, async ({ db, query }) => listApprovals(db, query));

export const POST = agentApiRoute({ roles: [], agents: true, body: requestApprovalInput }, async ({ db, caller, body }) => {
  if (caller.kind !== "agent") throw new AppError("forbidden", "Only agents open approval requests");
  const { created: isNew, approval } = await requestApproval(db, caller.claims, body, caller.actor);
  return isNew ? created(approval) : approval;
});
