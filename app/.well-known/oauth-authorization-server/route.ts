// GET /.well-known/oauth-authorization-server: RFC 8414 section 3 authorization server metadata.
import { noStoreHeaders } from "@/lib/http/headers";
import { authorizationServerMetadata } from "@/lib/oauth/metadata";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(authorizationServerMetadata(), { headers: { ...noStoreHeaders, "Cache-Control": "public, max-age=300" } });
}
