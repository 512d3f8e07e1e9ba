// What leaves the server about nodes of the tree, and the one place their paths are computed.
import type { ResourceNode } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { ancestorIdsOf, joinPath } from "./paths";

export type NodeView = {
  id: string;
  parentId: string | null;
  type: string;
  name: string;
  /** names from the root down, joined by "/": acme/platform/api */
  path: string;
  /** 0 for a root */
  depth: number;
  createdAt: string;
  updatedAt: string;
};

/** A node in a list of children, with how many children it has itself (the tree shows an expander when > 0). */
export type ChildNodeView = NodeView & { childCount: number };

export type NodeDetailView = NodeView & {
  /** root first, not the node itself */
  ancestors: { id: string; type: string; name: string }[];
  childCount: number;
  /** grants on this node itself that are not revoked */
  grantCount: number;
};

export function toNodeView(n: ResourceNode, path: string): NodeView {
  return {
    id: n.id,
    parentId: n.parentId,
    type: n.type,
    name: n.name,
    path,
    depth: n.depth,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

const CHUNK = 5000;

/** Names of the given node ids, in one query per 5,000 ids. */
export async function namesOf(db: Db, ids: Iterable<string>): Promise<Map<string, { name: string; type: string }>> {
  const all = [...new Set(ids)];
  const out = new Map<string, { name: string; type: string }>();
  for (let i = 0; i < all.length; i += CHUNK) {
    const rows = await db.resourceNode.findMany({ where: { id: { in: all.slice(i, i + CHUNK) } }, select: { id: true, name: true, type: true } });
    for (const r of rows) out.set(r.id, { name: r.name, type: r.type });
  }
  return out;
}

/** The path of each node, by id: the names of all their ancestors come from one query. */
export async function pathsOf(db: Db, nodes: Pick<ResourceNode, "id" | "name" | "idPath">[]): Promise<Map<string, string>> {
  const names = await namesOf(
    db,
    nodes.flatMap((n) => ancestorIdsOf(n.idPath)),
  );
  return new Map(nodes.map((n) => [n.id, joinPath([...ancestorIdsOf(n.idPath).map((id) => names.get(id)?.name ?? "?"), n.name])]));
}

export async function toNodeViews(db: Db, nodes: ResourceNode[]): Promise<NodeView[]> {
  const paths = await pathsOf(db, nodes);
  return nodes.map((n) => toNodeView(n, paths.get(n.id)!));
}

/** Number of children per node, in one grouped query. */
export async function childCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const groups = await db.resourceNode.groupBy({ by: ["parentId"], where: { parentId: { in: ids } }, _count: { _all: true } });
  for (const g of groups) if (g.parentId) out.set(g.parentId, g._count._all);
  return out;
}
