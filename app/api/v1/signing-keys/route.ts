// GET /api/v1/signing-keys: Deputy's token signing keys (public facts only: kid, status, when they leave the JWKS).
import { apiRoute } from "@/lib/http/api-route";
import { listSigningKeys } from "@/lib/keys/list-signing-keys";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin", "auditor"] }, async ({ db }) => ({ signingKeys: await listSigningKeys(db) }));
