// DELETE /api/v1/resource-servers/{serverId}/secrets/{secretId}: revoke the secret at once.
import { apiRoute } from "@/lib/http/api-route";
import { revokeResourceServerSecret } from "@/lib/resource-servers/revoke-resource-server-secret";

export const runtime = "nodejs";

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) =>
  revokeResourceServerSecret(db, params.serverId!, params.secretId!, principal.actor),
);
