import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { type CreateWebhookInput, createWebhookInput } from "./schemas";
import { newWebhookSecret, sealWebhookSecret } from "./secret";
import { defaultUrlPolicy, type UrlPolicy, validateWebhookUrl } from "./url-policy";
import { toWebhookView, type WebhookView } from "./webhook-view";

/**
 * Registers a webhook. Its signing secret is returned here and never again; it is stored sealed, since every
 * delivery must be signed with it. The URL must resolve to public addresses only (see url-policy.ts).
 */
export async function createWebhook(
  db: Db,
  input: CreateWebhookInput,
  actor: Actor,
  policy: UrlPolicy = defaultUrlPolicy(),
): Promise<{ webhook: WebhookView; secret: string }> {
  const { name, url: rawUrl, events, enabled } = createWebhookInput.parse(input);
  const url = await validateWebhookUrl(rawUrl, policy);
  const id = newId("webhook");
  const secret = newWebhookSecret();
  const row = await inTransaction(db, async (tx) => {
    const created = await tx.webhook.create({
      data: {
        id,
        name,
        url,
        events: events.join(" "),
        secretEnc: sealWebhookSecret(id, secret),
        secretLast4: secret.slice(-4),
        enabled,
        createdById: actor.type === "user" ? actor.id : null,
      },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "webhook.create",
      target: { type: "webhook", id },
      details: { name, host: new URL(url).host, events, enabled },
    });
    return created;
  });
  return { webhook: toWebhookView(row), secret };
}
