// GET /api/v1/api-keys: list admin API keys (last four characters only). POST: create one; the key is returned once.
import { createApiKey, createApiKeyInput } from "@/lib/api-keys/create-api-key";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db }) => ({ apiKeys: await listApiKeys(db) }));

export const POST = apiRoute({ roles: ["admin"], body: createApiKeyInput }, async ({ db, body, principal }) =>
  created(await createApiKey(db, body, principal.actor)),
);
