// GET /.well-known/oauth-protected-resource: RFC 9728 section 3 protected resource metadata of Deputy's own API.
import { noStoreHeaders } from "@/lib/http/headers";
import { protectedResourceMetadata } from "@/lib/oauth/protected-resource-metadata";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(protectedResourceMetadata(), { headers: { ...noStoreHeaders, "Cache-Control": "public, max-age=300" } });
}
