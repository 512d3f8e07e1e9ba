import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { toDeliveryView, type WebhookDeliveryView } from "./webhook-view";

/**
 * Queues a delivered or failed delivery again, with a fresh set of attempts. The body (and its id) stay the same,
 * so a receiver that already handled it can recognise it. The conditional update makes two racing clicks queue it
 * once; a delivery still pending is already queued (409).
 */
export async function redeliverWebhookDelivery(
  db: Db,
  webhookId: string,
  deliveryId: string,
  actor: Actor,
  now = new Date(),
): Promise<WebhookDeliveryView> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, webhookId, status: { in: ["delivered", "failed"] } },
      data: { status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null, lastStatus: null, lastError: null, deliveredAt: null },
    });
    const row = await tx.webhookDelivery.findFirst({ where: { id: deliveryId, webhookId } });
    if (!row) throw notFound("Delivery");
    if (count === 0) throw new AppError("conflict", "This delivery is already queued");
    await recordAuditEvent(
      tx,
      { actor, action: "webhook.redeliver", target: { type: "webhook", id: webhookId }, details: { deliveryId, event: row.event } },
      now,
    );
    return toDeliveryView(row);
  });
}
