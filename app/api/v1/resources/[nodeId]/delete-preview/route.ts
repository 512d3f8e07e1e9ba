// GET /api/v1/resources/{nodeId}/delete-preview: the dry run of a delete. Every node of the subtree and every grant on
// any of them (up to ?limit= of each, counts always whole), and the digest a cascade DELETE quotes to go ahead.
import { apiRoute } from "@/lib/http/api-route";
import { previewNodeDelete } from "@/lib/resources/preview-node-delete";
import { nodeRefFromUrl } from "@/lib/resources/resolve-node-ref";
import { deletePreviewQuery } from "@/lib/resources/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"], query: deletePreviewQuery }, async ({ db, params, query }) =>
  previewNodeDelete(db, nodeRefFromUrl(params.nodeId!), query),
);
