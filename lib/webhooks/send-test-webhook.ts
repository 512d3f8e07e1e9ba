import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { webhookPayload } from "./enqueue";
import { toDeliveryView, type WebhookDeliveryView } from "./webhook-view";

/** The event of a test delivery: sent to one webhook whatever it subscribes to, so receivers should accept it. */
export const TEST_EVENT = "webhook.test";

/** Queues a `webhook.test` delivery to one webhook; the caller kicks the sender after commit. */
export async function sendTestWebhook(db: Db, id: string, actor: Actor, now = new Date()): Promise<WebhookDeliveryView> {
  return inTransaction(db, async (tx) => {
    const hook = await tx.webhook.findUnique({ where: { id }, select: { id: true, name: true, enabled: true } });
    if (!hook) throw notFound("Webhook");
    if (!hook.enabled) throw new AppError("conflict", "This webhook is disabled; enable it to send a test");
    const deliveryId = newId("webhookDelivery", now.getTime());
    const payload = webhookPayload(deliveryId, TEST_EVENT, { webhook_id: id, message: "A test event from Deputy" }, now);
    const row = await tx.webhookDelivery.create({
      data: { id: deliveryId, webhookId: id, event: TEST_EVENT, payload, nextAttemptAt: now, createdAt: now },
    });
    await recordAuditEvent(tx, { actor, action: "webhook.test", target: { type: "webhook", id }, details: { name: hook.name, deliveryId } }, now);
    return toDeliveryView(row);
  });
}
