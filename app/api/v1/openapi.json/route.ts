// GET /api/v1/openapi.json: the OpenAPI 3.1 document of the JSON API (public: it describes, it grants nothing).
import { env } from "@/lib/env";
import { securityHeaders } from "@/lib/http/headers";
import { openApiDocument } from "@/lib/openapi/document";

export const runtime = "nodejs";

export function GET() {
  return Response.json(openApiDocument(env().NEXTAUTH_URL), { headers: securityHeaders });
}
