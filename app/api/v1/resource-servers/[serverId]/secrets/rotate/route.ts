// POST /api/v1/resource-servers/{serverId}/secrets/rotate: a new secret (shown once); the others work until the
// grace period ends (24 hours by default).
import { apiRoute, created } from "@/lib/http/api-route";
import { rotateResourceServerSecret } from "@/lib/resource-servers/rotate-resource-server-secret";
import { rotateResourceServerSecretInput } from "@/lib/resource-servers/schemas";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"], body: rotateResourceServerSecretInput }, async ({ db, params, body, principal }) =>
  created(await rotateResourceServerSecret(db, params.serverId!, body, principal.actor)),
);
