// Marks pending requests past their expiry as expired: lazily, when one is read or decided, and in bulk by the sweep.
// Expiry itself never waits for this: every use case compares `expiresAt` with `now` (lib/approvals/call.ts), so an
// unmarked request past its time already allows nothing and cannot be decided. Marking records the audit event and
// tells webhooks; the conditional update makes the lazy path and the sweep record it once.
import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { enqueueWebhookEvent } from "@/lib/webhooks/enqueue";
import { approvalUrl } from "./call";

const expiryActor = systemActor("approval-expiry", "approval expiry");

/** Expires one request if it is pending and due at `now`; true when this call marked it. */
export async function expireApproval(db: Db, id: string, now = new Date()): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.approvalRequest.updateMany({ where: { id, status: "pending", expiresAt: { lte: now } }, data: { status: "expired" } });
    if (count === 0) return false;
    const row = await tx.approvalRequest.findUniqueOrThrow({ where: { id } });
    await recordAuditEvent(
      tx,
      { actor: expiryActor, action: "approval.expire", target: { type: "approval", id }, details: { tool: row.toolName, nodeId: row.nodeId, agentId: row.agentId, expiresAt: row.expiresAt.toISOString() } },
      now,
    );
    await enqueueWebhookEvent(
      tx,
      "approval.decided",
      { approval: { id, status: "expired", url: approvalUrl(id), agent_id: row.agentId, tool: row.toolName, decided_at: null, expires_at: row.expiresAt.toISOString() } },
      now,
    );
    return true;
  });
}

/** The sweep: expires every pending request due at `now`, oldest first, at most `limit` per call. Returns how many. */
export async function expireDueApprovals(db: Db, now = new Date(), limit = 500): Promise<number> {
  const due = await db.approvalRequest.findMany({
    where: { status: "pending", expiresAt: { lte: now } },
    select: { id: true },
    orderBy: { expiresAt: "asc" },
    take: limit,
  });
  let expired = 0;
  for (const { id } of due) if (await expireApproval(db, id, now)) expired++;
  return expired;
}
