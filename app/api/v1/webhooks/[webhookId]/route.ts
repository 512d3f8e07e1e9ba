// GET /api/v1/webhooks/{webhookId}: one webhook. PATCH: change its name, URL, events or enabled flag. DELETE: remove
// it with its delivery log.
import { apiRoute } from "@/lib/http/api-route";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { getWebhook } from "@/lib/webhooks/get-webhook";
import { updateWebhookInput } from "@/lib/webhooks/schemas";
import { updateWebhook } from "@/lib/webhooks/update-webhook";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db, params }) => getWebhook(db, params.webhookId!));

export const PATCH = apiRoute({ roles: ["admin"], body: updateWebhookInput }, async ({ db, params, body, principal }) =>
  updateWebhook(db, params.webhookId!, body, principal.actor),
);

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => deleteWebhook(db, params.webhookId!, principal.actor));
