import type { Db } from "@/lib/db/client";
import { childCounts, namesOf, type NodeDetailView, toNodeView } from "./node-view";
import { ancestorIdsOf, joinPath } from "./paths";
import { resolveNodeRef } from "./resolve-node-ref";

/** One node by id or path, with its ancestors (root first), how many children it has, and its unrevoked grants. */
export async function getNode(db: Db, ref: string): Promise<NodeDetailView> {
  const node = await resolveNodeRef(db, ref);
  const ids = ancestorIdsOf(node.idPath);
  const names = await namesOf(db, ids);
  const counts = await childCounts(db, [node.id]);
  const grantCount = await db.grant.count({ where: { nodeId: node.id, revokedAt: null } });
  const ancestors = ids.map((id) => ({ id, type: names.get(id)?.type ?? "?", name: names.get(id)?.name ?? "?" }));
  const path = joinPath([...ancestors.map((a) => a.name), node.name]);
  return { ...toNodeView(node, path), ancestors, childCount: counts.get(node.id) ?? 0, grantCount };
}
