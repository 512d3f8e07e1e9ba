// GET /.well-known/jwks.json: the public keys that verify Deputy's tokens (RFC 7517), active and recently retired.
import { getDb } from "@/lib/db/client";
import { securityHeaders } from "@/lib/http/headers";
import { publishedKeys } from "@/lib/keys/signing-keys";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  // short cache: verifiers refetch on an unknown kid anyway, and a rotation must show up quickly
  return Response.json(await publishedKeys(getDb()), { headers: { ...securityHeaders, "Cache-Control": "public, max-age=60" } });
}
