// Queues an outbound webhook event: one WebhookDelivery row per enabled webhook subscribed to it, written in the
// caller's transaction so the event is sent if and only if the change that raised it commits. The sender
// (lib/webhooks/deliver.ts) signs and posts queued deliveries, with retries, outside any transaction.
import type { Db } from "@/lib/db/client";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { newId } from "@/lib/ids";
import { subscribes, type WebhookEvent } from "./events";

export { subscribes, WEBHOOK_EVENTS, type WebhookEvent } from "./events";

/** The JSON body of one delivery, fixed when it is queued: `{ id, event, created_at, data }`, canonical. */
export function webhookPayload(id: string, event: string, data: Record<string, unknown>, now: Date): string {
  return canonicalJson({ id, event, created_at: now.toISOString(), data });
}

/** Queues `event` with `data` for every subscribed webhook; returns the delivery ids. No webhook: no rows, no cost. */
export async function enqueueWebhookEvent(db: Db, event: WebhookEvent, data: Record<string, unknown>, now = new Date()): Promise<string[]> {
  const hooks = await db.webhook.findMany({ where: { enabled: true }, select: { id: true, events: true } });
  const targets = hooks.filter((h) => subscribes(h.events, event));
  if (targets.length === 0) return [];
  const rows = targets.map((h) => {
    const id = newId("webhookDelivery", now.getTime());
    // the body is fixed here, so a retry sends the same bytes and the receiver can dedupe on id
    const payload = webhookPayload(id, event, data, now);
    return { id, webhookId: h.id, event, payload, nextAttemptAt: now, createdAt: now };
  });
  await db.webhookDelivery.createMany({ data: rows });
  return rows.map((r) => r.id);
}
