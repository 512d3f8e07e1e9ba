import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { toWebhookView, type WebhookView } from "./webhook-view";

export async function getWebhook(db: Db, id: string): Promise<WebhookView> {
  const row = await db.webhook.findUnique({ where: { id } });
  if (!row) throw notFound("Webhook");
  return toWebhookView(row);
}
