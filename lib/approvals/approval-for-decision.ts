// The approval side of a decision, run only when the core answered approval_required (never on the allow/deny hot
// path). In one transaction, with the decision's own audit event:
// - an approved, unused, unexpired approval of this exact call is used: the answer is allow, once;
// - otherwise the open request for this exact call is reused, or a new one is opened: approval_required with it.
// Reusing an open request needs no transaction (see the first read below); the rest is one.
//
// Invariant: an approval allows at most one decision. Using it is a conditional update (status approved, not yet
// consumed, not expired) that only one transaction can win; a loser looks for another approval or asks again.
// One agent's decisions take turns on this path (lockAgentApprovals), so one call never has two open requests.
import type { AuditInput } from "@/lib/audit/record-event";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Decision, PrincipalRef, Reason } from "@/lib/authz/types";
import { type Db, databaseProvider, inTransaction } from "@/lib/db/client";
import { sqliteReadRows } from "@/lib/db/sqlite-reader";
import { sqliteTime } from "@/lib/db/sqlite-time";
import { newId } from "@/lib/ids";
import { type ApprovalRef, approvalRef, lockAgentApprovals, paramsHash, principalsText } from "./call";
import { loadApprovalTool, openApprovalRequest } from "./open-approval";

export type ApprovalCall = {
  agentId: string;
  principals: PrincipalRef[];
  tool: string;
  nodeId: string;
  resourcePath: string;
  params: Record<string, unknown>;
  task?: unknown;
  resourceServerId: string;
};

export type DecisionWithApproval = Decision & { decision_id: string; approval: ApprovalRef };

/** `event` is the decision's audit event as make-decision built it; it is written here, in the transaction. */
export async function decideWithApproval(
  db: Db,
  call: ApprovalCall,
  decision: Decision,
  event: AuditInput,
  labels: ReadonlyMap<string, string>,
  now: Date,
): Promise<DecisionWithApproval> {
  const match = { agentId: call.agentId, principals: principalsText(call.principals), toolName: call.tool, nodeId: call.nodeId, paramsHash: paramsHash(call.params) };

  // The common repeat: the call is already waiting for a person and nothing approved it yet. Answer from one read,
  // with the decision's event group-committed, instead of a locked write transaction per call. Reading without the
  // lock is safe here: a request decided a moment later is what the agent sees when it polls, and an approved one
  // (or none at all) always takes the locked path below.
  const open = await openRequestsFor(db, match, now);
  const pending = open.find((r) => r.status === "pending");
  if (pending && !open.some((r) => r.status === "approved")) {
    const decisionId = await auditBatcher().record({ ...event, result: "approval_required", details: { ...event.details, approvalId: pending.id } }, now);
    return { ...decision, decision_id: decisionId, approval: approvalRef(pending) };
  }

  return inTransaction(db, async (tx) => {
    await lockAgentApprovals(tx, call.agentId);
    const write = (result: AuditInput["result"], reasons: Reason[], approvalId: string) =>
      recordAuditEvent(tx, { ...event, result, details: { ...event.details, reasons: reasons.map(auditReason), approvalId } }, now);

    const approved = await tx.approvalRequest.findMany({
      where: { ...match, status: "approved", consumedAt: null, expiresAt: { gt: now } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 5,
    });
    for (const row of approved) {
      const { count } = await tx.approvalRequest.updateMany({
        where: { id: row.id, status: "approved", consumedAt: null, expiresAt: { gt: now } },
        data: { consumedAt: now },
      });
      if (count === 0) continue; // another decision used it first
      const by = row.decidedById ? (labels.get(`user:${row.decidedById}`) ?? row.decidedById) : "an approver";
      const reasons: Reason[] = [
        { code: "approved", message: `${by} approved this exact call (${row.id}); the approval is now used and allows nothing again` },
        ...decision.reasons.filter((r) => r.code !== "approval_required"),
      ];
      const decisionId = await write("allow", reasons, row.id);
      await tx.approvalRequest.update({ where: { id: row.id }, data: { consumedByDecisionId: decisionId } });
      await recordAuditEvent(
        tx,
        { actor: event.actor, action: "approval.consume", target: { type: "approval", id: row.id }, details: { decisionId, tool: call.tool, nodeId: call.nodeId } },
        now,
      );
      return { decision: "allow", reasons, grants: decision.grants, decision_id: decisionId, approval: approvalRef(row) };
    }

    // one open request per call: asking again while a person looks at it must not flood their inbox
    const pending = await tx.approvalRequest.findFirst({
      where: { ...match, status: "pending", expiresAt: { gt: now } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    if (pending) {
      const decisionId = await write("approval_required", decision.reasons, pending.id);
      return { ...decision, decision_id: decisionId, approval: approvalRef(pending) };
    }

    const tool = await loadApprovalTool(tx, call.tool);
    const id = newId("approval", now.getTime());
    const decisionId = await write("approval_required", decision.reasons, id);
    const row = await openApprovalRequest(
      tx,
      {
        source: "decision",
        agentId: call.agentId,
        principals: call.principals,
        tool,
        nodeId: call.nodeId,
        resourcePath: call.resourcePath,
        params: call.params,
        task: call.task,
        resourceServerId: call.resourceServerId,
        decisionId,
      },
      event.actor,
      now,
      id,
    );
    return { ...decision, decision_id: decisionId, approval: approvalRef(row) };
  });
}

const auditReason = (r: Reason) => ({ code: r.code, message: r.message, ...(r.grantId ? { grantId: r.grantId } : {}) });

type CallMatch = { agentId: string; principals: string; toolName: string; nodeId: string; paramsHash: string };
type OpenRequest = { id: string; status: string; expiresAt: Date };

const OPEN_REQUESTS = `SELECT "id", "status", "expiresAt" FROM "ApprovalRequest"
  WHERE "agentId" = ? AND "principals" = ? AND "toolName" = ? AND "nodeId" = ? AND "paramsHash" = ?
    AND "status" IN ('pending', 'approved') AND "consumedAt" IS NULL AND "expiresAt" > ?
  ORDER BY "createdAt", "id" LIMIT 5`;

/**
 * The pending or approved, unused, unexpired requests for this exact call, oldest first: the one read every repeated
 * approval_required call makes, so it skips the ORM (a millisecond of event loop per call there). Inside a caller's
 * transaction it reads through that transaction, which alone sees the caller's own writes.
 */
async function openRequestsFor(db: Db, m: CallMatch, now: Date): Promise<OpenRequest[]> {
  if (!("$disconnect" in db)) {
    return db.approvalRequest.findMany({
      where: { ...m, status: { in: ["pending", "approved"] }, consumedAt: null, expiresAt: { gt: now } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, status: true, expiresAt: true },
      take: 5,
    });
  }
  if (databaseProvider() === "sqlite") {
    const rows = sqliteReadRows(OPEN_REQUESTS, [m.agentId, m.principals, m.toolName, m.nodeId, m.paramsHash, sqliteTime(now)]);
    return rows.map(([id, status, expiresAt]) => ({ id: id as string, status: status as string, expiresAt: new Date(expiresAt as string) }));
  }
  // timestamp(3) columns hold UTC wall times: EXTRACT(EPOCH) reads them without any session time zone
  const rows = await db.$queryRaw<{ id: string; status: string; expiresAtMs: number }[]>`SELECT "id", "status",
      (EXTRACT(EPOCH FROM "expiresAt") * 1000)::float8 AS "expiresAtMs" FROM "ApprovalRequest"
    WHERE "agentId" = ${m.agentId} AND "principals" = ${m.principals} AND "toolName" = ${m.toolName} AND "nodeId" = ${m.nodeId}
      AND "paramsHash" = ${m.paramsHash} AND "status" IN ('pending', 'approved') AND "consumedAt" IS NULL AND "expiresAt" > ${now}
    ORDER BY "createdAt", "id" LIMIT 5`;
  return rows.map((r) => ({ id: r.id, status: r.status, expiresAt: new Date(Number(r.expiresAtMs)) }));
}
