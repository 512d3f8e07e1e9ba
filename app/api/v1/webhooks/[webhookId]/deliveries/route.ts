// GET /api/v1/webhooks/{webhookId}/deliveries: the delivery log, newest first, keyset-paged (?cursor=, ?status=).
import { apiRoute } from "@/lib/http/api-route";
import { listWebhookDeliveries } from "@/lib/webhooks/list-webhook-deliveries";
import { listDeliveriesQuery } from "@/lib/webhooks/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"], query: listDeliveriesQuery }, async ({ db, params, query }) =>
  listWebhookDeliveries(db, params.webhookId!, query),
);
