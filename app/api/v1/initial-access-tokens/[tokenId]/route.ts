// DELETE /api/v1/initial-access-tokens/{tokenId}: revoke an unused initial access token at once.
import { revokeInitialAccessToken } from "@/lib/dcr/revoke-initial-access-token";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => revokeInitialAccessToken(db, params.tokenId!, principal.actor));
