// POST /api/v1/signing-keys/rotate: a new active signing key; the old one stays published until its tokens expire.
import { apiRoute } from "@/lib/http/api-route";
import { rotateSigningKey } from "@/lib/keys/rotate-signing-key";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, principal }) => rotateSigningKey(db, principal.actor));
