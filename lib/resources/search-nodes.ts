// The tree's search box: by part of a name anywhere in the tree, or by path prefix. Nearest the roots first.
import type { Prisma } from "@/generated/sqlite/client";
import { databaseProvider } from "@/lib/db/client";
import type { Db } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/text-search";
import { type NodeView, toNodeViews } from "./node-view";
import { resolveNodePath } from "./resolve-node-ref";
import { type SearchNodesQuery, searchNodesQuery, SEARCH_LIMIT } from "./schemas";

function startsWithInsensitive(value: string): { startsWith: string } {
  return databaseProvider() === "postgresql" ? ({ startsWith: value, mode: "insensitive" } as { startsWith: string }) : { startsWith: value };
}

/**
 * `q` without "/": nodes whose name contains it (any case). With "/": a path prefix, completed like a shell path:
 * "acme/plat" finds the children of acme whose names start with "plat", "acme/platform/" every child of
 * acme/platform, and "acme/platform/branch:feat" its branches starting with "feat". At most 50 nodes.
 */
export async function searchNodes(db: Db, input: SearchNodesQuery): Promise<{ nodes: NodeView[] }> {
  const { q } = searchNodesQuery.parse(input);
  let where: Prisma.ResourceNodeWhereInput;
  const slash = q.lastIndexOf("/");
  if (slash < 0) {
    where = { name: containsInsensitive(q) };
  } else {
    const head = q.slice(0, slash).replace(/^\/+/, "");
    const parent = head ? await resolveNodePath(db, head) : null;
    let tail = q.slice(slash + 1).trim();
    let type: string | null = null;
    const colon = tail.indexOf(":");
    if (colon >= 0) {
      type = tail.slice(0, colon).trim() || null;
      tail = tail.slice(colon + 1).trim();
    }
    where = { parentId: parent?.id ?? null, ...(type ? { type } : {}), ...(tail ? { name: startsWithInsensitive(tail) } : {}) };
  }
  const rows = await db.resourceNode.findMany({ where, orderBy: [{ depth: "asc" }, { name: "asc" }, { id: "asc" }], take: SEARCH_LIMIT });
  return { nodes: await toNodeViews(db, rows) };
}
