// GET /api/v1/resources/{nodeId}/access: who holds which role or tool on the node, directly or from an ancestor.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute } from "@/lib/http/api-route";
import { accessAt } from "@/lib/resources/access-at";
import { nodeRefFromUrl } from "@/lib/resources/resolve-node-ref";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => accessAt(db, nodeRefFromUrl(params.nodeId!)));
