// GET /api/v1/resource-servers/{serverId}: the resource server and its secrets (last four characters only).
import { apiRoute } from "@/lib/http/api-route";
import { getResourceServer } from "@/lib/resource-servers/get-resource-server";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db, params }) => getResourceServer(db, params.serverId!));
