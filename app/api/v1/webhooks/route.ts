// GET /api/v1/webhooks: list outbound webhooks (secret's last four characters only). POST: register one; its signing
// secret is returned once.
import { apiRoute, created } from "@/lib/http/api-route";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { createWebhookInput } from "@/lib/webhooks/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db }) => ({ webhooks: await listWebhooks(db) }));

export const POST = apiRoute({ roles: ["admin"], body: createWebhookInput }, async ({ db, body, principal }) =>
  created(await createWebhook(db, body, principal.actor)),
);
