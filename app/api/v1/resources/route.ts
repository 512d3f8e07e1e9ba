// GET /api/v1/resources: ?path= resolves one node; ?q= searches by name or path prefix; otherwise the children of
// ?parent= (an id or path), or the roots, a page at a time. POST: create a node (under `parent`, or a root).
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute, created } from "@/lib/http/api-route";
import { createNode } from "@/lib/resources/create-node";
import { getNode } from "@/lib/resources/get-node";
import { listChildren } from "@/lib/resources/list-children";
import { createNodeInput, listResourcesQuery } from "@/lib/resources/schemas";
import { searchNodes } from "@/lib/resources/search-nodes";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES, query: listResourcesQuery }, async ({ db, query }) => {
  if (query.path) return getNode(db, query.path);
  if (query.q) return searchNodes(db, { q: query.q });
  return listChildren(db, { parent: query.parent, cursor: query.cursor, limit: query.limit });
});

export const POST = apiRoute({ roles: ["admin"], body: createNodeInput }, async ({ db, body, principal }) =>
  created(await createNode(db, body, principal.actor)),
);
