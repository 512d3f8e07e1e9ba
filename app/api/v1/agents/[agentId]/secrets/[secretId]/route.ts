// DELETE /api/v1/agents/{agentId}/secrets/{secretId}: revoke the secret at once (its record stays, marked revoked).
import { revokeClientSecret } from "@/lib/agents/revoke-client-secret";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) =>
  revokeClientSecret(db, params.agentId!, params.secretId!, principal.actor),
);
