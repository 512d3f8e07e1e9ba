// POST /api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver: queue a delivered or failed delivery again.
import { apiRoute } from "@/lib/http/api-route";
import { redeliverWebhookDelivery } from "@/lib/webhooks/redeliver-webhook-delivery";
import { kickWebhookWorker } from "@/lib/webhooks/worker";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => {
  const delivery = await redeliverWebhookDelivery(db, params.webhookId!, params.deliveryId!, principal.actor);
  kickWebhookWorker();
  return delivery;
});
