// Withdraws a pending request: the agent that asked (its own requests only) or an admin. A cancelled request can no
// longer be decided and never allows anything; the conditional update records one cancellation.
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import { type Db, inTransaction } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { enqueueWebhookEvent } from "@/lib/webhooks/enqueue";
import { approvalUrl } from "./call";
import { notPendingError } from "./decide-approval";
import { expireApproval } from "./expire-approvals";
import { type ApprovalReader, getApproval } from "./get-approval";

export async function cancelApproval(db: Db, id: string, reader: ApprovalReader, actor: Actor, now = new Date()) {
  const row = await db.approvalRequest.findUnique({ where: { id } });
  if (!row || (reader.kind === "agent" && row.agentId !== reader.agentId)) throw notFound("Approval request");
  await expireApproval(db, id, now);
  await inTransaction(db, async (tx) => {
    const { count } = await tx.approvalRequest.updateMany({
      where: { id, status: "pending", expiresAt: { gt: now } },
      data: { status: "cancelled", decidedAt: now, decidedById: actor.type === "user" ? actor.id : null },
    });
    if (count === 0) {
      const { snapshot } = await currentAuthz(db, now.getTime());
      throw notPendingError(await tx.approvalRequest.findUniqueOrThrow({ where: { id } }), snapshot.labels, now);
    }
    await recordAuditEvent(tx, { actor, action: "approval.cancel", target: { type: "approval", id }, details: { tool: row.toolName, nodeId: row.nodeId, agentId: row.agentId } }, now);
    await enqueueWebhookEvent(
      tx,
      "approval.decided",
      { approval: { id, status: "cancelled", url: approvalUrl(id), agent_id: row.agentId, tool: row.toolName, decided_at: now.toISOString(), expires_at: row.expiresAt.toISOString() } },
      now,
    );
  });
  return getApproval(db, id, reader, now);
}
