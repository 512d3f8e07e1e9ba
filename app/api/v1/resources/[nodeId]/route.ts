// GET /api/v1/resources/{nodeId}: the node (id or encoded path) with its ancestors. PATCH: rename and/or move it.
// DELETE: delete it; ?cascade=true deletes its subtree and every grant on it, and with &digest= (from
// GET .../delete-preview) only if the subtree is still what the preview listed (else 409).
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute } from "@/lib/http/api-route";
import { deleteNode } from "@/lib/resources/delete-node";
import { getNode } from "@/lib/resources/get-node";
import { nodeRefFromUrl } from "@/lib/resources/resolve-node-ref";
import { deleteNodeQuery, updateNodeInput } from "@/lib/resources/schemas";
import { updateNode } from "@/lib/resources/update-node";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => getNode(db, nodeRefFromUrl(params.nodeId!)));

export const PATCH = apiRoute({ roles: ["admin"], body: updateNodeInput }, async ({ db, params, body, principal }) =>
  updateNode(db, nodeRefFromUrl(params.nodeId!), body, principal.actor),
);

export const DELETE = apiRoute({ roles: ["admin"], query: deleteNodeQuery }, async ({ db, params, query, principal }) =>
  deleteNode(db, nodeRefFromUrl(params.nodeId!), { cascade: query.cascade, digest: query.digest }, principal.actor),
);
