// DELETE /api/v1/agents/{agentId}/keys/{keyId}: revoke the public key at once (RFC 7523 assertions it signs are refused).
import { revokePublicKey } from "@/lib/agents/revoke-public-key";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) =>
  revokePublicKey(db, params.agentId!, params.keyId!, principal.actor),
);
