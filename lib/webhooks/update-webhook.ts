import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type UpdateWebhookInput, updateWebhookInput } from "./schemas";
import { defaultUrlPolicy, type UrlPolicy, validateWebhookUrl } from "./url-policy";
import { toWebhookView, type WebhookView } from "./webhook-view";

/**
 * Changes a webhook's name, URL, events or enabled flag. A new URL passes the same guard as at creation.
 * Deliveries already queued keep their event; a disabled webhook's queue waits until it is enabled again.
 */
export async function updateWebhook(
  db: Db,
  id: string,
  input: UpdateWebhookInput,
  actor: Actor,
  policy: UrlPolicy = defaultUrlPolicy(),
): Promise<WebhookView> {
  const changes = updateWebhookInput.parse(input);
  const url = changes.url === undefined ? undefined : await validateWebhookUrl(changes.url, policy);
  return inTransaction(db, async (tx) => {
    const existing = await tx.webhook.findUnique({ where: { id }, select: { id: true } });
    if (!existing) throw notFound("Webhook");
    const row = await tx.webhook.update({
      where: { id },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(url !== undefined ? { url } : {}),
        ...(changes.events !== undefined ? { events: changes.events.join(" ") } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "webhook.update",
      target: { type: "webhook", id },
      details: {
        name: row.name,
        changed: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined).sort(),
        ...(url !== undefined ? { host: new URL(url).host } : {}),
        ...(changes.events !== undefined ? { events: changes.events } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      },
    });
    return toWebhookView(row);
  });
}
