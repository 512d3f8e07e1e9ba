// POST /api/v1/resource-servers/{serverId}/enable: its working secrets authenticate again.
import { apiRoute } from "@/lib/http/api-route";
import { enableResourceServer } from "@/lib/resource-servers/enable-resource-server";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => enableResourceServer(db, params.serverId!, principal.actor));
