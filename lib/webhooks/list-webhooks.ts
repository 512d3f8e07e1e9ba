import type { Db } from "@/lib/db/client";
import { toWebhookView, type WebhookView } from "./webhook-view";

export async function listWebhooks(db: Db): Promise<WebhookView[]> {
  const rows = await db.webhook.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 500 });
  return rows.map(toWebhookView);
}
