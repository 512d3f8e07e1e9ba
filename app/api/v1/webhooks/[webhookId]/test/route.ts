// POST /api/v1/webhooks/{webhookId}/test: queue a signed `webhook.test` event to this webhook and send it at once.
import { apiRoute, created } from "@/lib/http/api-route";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { kickWebhookWorker } from "@/lib/webhooks/worker";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => {
  const delivery = await sendTestWebhook(db, params.webhookId!, principal.actor);
  kickWebhookWorker();
  return created(delivery);
});
