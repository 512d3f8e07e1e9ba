import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { newWebhookSecret, sealWebhookSecret } from "./secret";
import { toWebhookView, type WebhookView } from "./webhook-view";

/**
 * Replaces the signing secret at once (returned here, once). Every attempt from now on, retries of older events
 * included, is signed with the new secret, since signatures are computed when sending, not when queueing.
 */
export async function rotateWebhookSecret(db: Db, id: string, actor: Actor): Promise<{ webhook: WebhookView; secret: string }> {
  const secret = newWebhookSecret();
  const row = await inTransaction(db, async (tx) => {
    const existing = await tx.webhook.findUnique({ where: { id }, select: { id: true } });
    if (!existing) throw notFound("Webhook");
    const updated = await tx.webhook.update({
      where: { id },
      data: { secretEnc: sealWebhookSecret(id, secret), secretLast4: secret.slice(-4) },
    });
    await recordAuditEvent(tx, { actor, action: "webhook.rotate_secret", target: { type: "webhook", id }, details: { name: updated.name, last4: updated.secretLast4 } });
    return updated;
  });
  return { webhook: toWebhookView(row), secret };
}
