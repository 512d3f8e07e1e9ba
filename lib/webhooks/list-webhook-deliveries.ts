// A webhook's delivery log, newest first, with keyset paging on (createdAt, id).
import type { Db } from "@/lib/db/client";
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor } from "@/lib/db/time-cursor";
import { notFound } from "@/lib/errors/app-error";
import { type ListDeliveriesQuery, listDeliveriesQuery } from "./schemas";
import { toDeliveryView, type WebhookDeliveryView } from "./webhook-view";

export type DeliveryPage = { deliveries: WebhookDeliveryView[]; nextCursor: string | null };

export async function listWebhookDeliveries(db: Db, webhookId: string, input: ListDeliveriesQuery): Promise<DeliveryPage> {
  const q = listDeliveriesQuery.parse(input);
  const hook = await db.webhook.findUnique({ where: { id: webhookId }, select: { id: true } });
  if (!hook) throw notFound("Webhook");
  const after = q.cursor ? decodeTimeCursor(q.cursor, "webhookDelivery") : null;
  const rows = await db.webhookDelivery.findMany({
    where: {
      webhookId,
      ...(q.status ? { status: q.status } : {}),
      ...(after ? afterTimeCursor(after) : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { deliveries: page.map(toDeliveryView), nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last) : null };
}
