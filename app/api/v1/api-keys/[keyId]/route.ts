// DELETE /api/v1/api-keys/{keyId}: revoke the key at once (its record stays, marked revoked).
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => revokeApiKey(db, params.keyId!, principal.actor));
