// GET /api/v1/resources/{nodeId}/access: who holds which role or tool on the node, directly or from an ancestor: the
// first ?limit= (default 100), nearest first, and the total.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute } from "@/lib/http/api-route";
import { accessAt } from "@/lib/resources/access-at";
import { nodeRefFromUrl } from "@/lib/resources/resolve-node-ref";
import { accessQuery } from "@/lib/resources/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES, query: accessQuery }, async ({ db, params, query }) => accessAt(db, nodeRefFromUrl(params.nodeId!), query));
