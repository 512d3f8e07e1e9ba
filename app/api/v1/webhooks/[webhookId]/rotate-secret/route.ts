// POST /api/v1/webhooks/{webhookId}/rotate-secret: a new signing secret, in this response only; the old one stops at once.
import { apiRoute } from "@/lib/http/api-route";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => rotateWebhookSecret(db, params.webhookId!, principal.actor));
