// POST /api/v1/decisions/filter: the subset of up to 1,000 resources the token's holder may use a tool on.
import { filterResources } from "@/lib/authz/filter-resources";
import { getDb } from "@/lib/db/client";
import { toJsonErrorResponse } from "@/lib/errors/to-json-response";
import { securityHeaders } from "@/lib/http/headers";
import { readJson } from "@/lib/http/read-json";
import { authenticateResourceServer } from "@/lib/resource-servers/authenticate-resource-server";

export const runtime = "nodejs";

export async function POST(request: Request) {
  try {
    const db = getDb();
    const server = await authenticateResourceServer(db, request.headers.get("authorization"));
    const result = await filterResources(db, server, (await readJson(request, 1024 * 1024)) as never);
    return Response.json(result, { headers: securityHeaders });
  } catch (e) {
    return toJsonErrorResponse(e, "POST /api/v1/decisions/filter");
  }
}
