import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";

/** Deletes a webhook and its delivery log; queued deliveries are never sent. */
export async function deleteWebhook(db: Db, id: string, actor: Actor): Promise<{ id: string; name: string; deliveryCount: number }> {
  return inTransaction(db, async (tx) => {
    const existing = await tx.webhook.findUnique({ where: { id }, select: { id: true, name: true, url: true } });
    if (!existing) throw notFound("Webhook");
    const { count: deliveryCount } = await tx.webhookDelivery.deleteMany({ where: { webhookId: id } });
    // deleteMany, not delete: a racing deletion finds nothing here and answers 404 instead of a 500
    const { count } = await tx.webhook.deleteMany({ where: { id } });
    if (count === 0) throw notFound("Webhook");
    await recordAuditEvent(tx, {
      actor,
      action: "webhook.delete",
      target: { type: "webhook", id },
      details: { name: existing.name, host: new URL(existing.url).host, deliveryCount },
    });
    return { id, name: existing.name, deliveryCount };
  });
}
