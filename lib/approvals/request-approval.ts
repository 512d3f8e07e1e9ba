// An agent asks a person to confirm one exact call before making it, with its justification and reasoning trace.
// The call must be one the agent could make with an approval: in its token's scope, on a known resource, and allowed
// (or approval_required) for every principal the token represents. A pending request for the same exact call is
// returned instead of opening a second one.
import type { AccessTokenClaims } from "@/lib/oauth/access-token";
import type { Actor } from "@/lib/audit/actor";
import { decide } from "@/lib/authz/decide";
import { resolveInSnapshot } from "@/lib/authz/load-snapshot";
import { principalsOf } from "@/lib/authz/make-decision";
import { nodePath } from "@/lib/authz/paths";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { lockAgentApprovals, paramsHash, principalsText } from "./call";
import { getApproval } from "./get-approval";
import { loadApprovalTool, openApprovalRequest } from "./open-approval";
import { type RequestApprovalInput, requestApprovalInput } from "./schemas";

export async function requestApproval(db: Db, claims: AccessTokenClaims, input: RequestApprovalInput, actor: Actor, now = new Date()) {
  const req = requestApprovalInput.parse(input);
  if (!claims.scope.split(" ").includes(req.tool)) throw new AppError("forbidden", `The token's scope does not include ${req.tool}`);
  const loaded = await currentAuthz(db, now.getTime());
  const nodeId = resolveInSnapshot(loaded, req.resource);
  if (nodeId === null) throw notFound("Resource");
  const principals = principalsOf(claims);
  const check = decide(loaded.snapshot, { tool: req.tool, nodeId, params: req.params, principals }, now);
  if (check.decision === "deny") {
    // an approval cannot widen a grant: a call the principals may not make is refused with the reason why
    throw new AppError("forbidden", `This call would be denied even with an approval: ${check.reasons[0]?.message ?? "no grant"}`);
  }
  const agentId = claims.client_id;
  const tool = await loadApprovalTool(db, req.tool);
  const { row, created } = await inTransaction(db, async (tx) => {
    await lockAgentApprovals(tx, agentId);
    const open = await tx.approvalRequest.findFirst({
      where: { agentId, principals: principalsText(principals), toolName: req.tool, nodeId, paramsHash: paramsHash(req.params), status: "pending", expiresAt: { gt: now } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    if (open) return { row: open, created: false };
    const opened = await openApprovalRequest(
      tx,
      {
        source: "agent",
        agentId,
        principals,
        tool,
        nodeId,
        resourcePath: nodePath(loaded.snapshot, nodeId),
        params: req.params,
        justification: req.justification,
        reasoningTrace: req.reasoning_trace ?? null,
        task: req.task,
      },
      actor,
      now,
    );
    return { row: opened, created: true };
  });
  return { created, approval: await getApproval(db, row.id, { kind: "agent", agentId }, now) };
}
