// POST /api/v1/resource-servers/{serverId}/disable: none of its secrets authenticates until it is enabled again.
import { apiRoute } from "@/lib/http/api-route";
import { disableResourceServer } from "@/lib/resource-servers/disable-resource-server";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => disableResourceServer(db, params.serverId!, principal.actor));
