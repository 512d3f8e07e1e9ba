// The rules a change to the tree re-checks inside its transaction (changeAuthz serialises tree changes, so a check
// made there still holds at commit): names unique among siblings, roots included, and a bounded depth.
import type { ResourceNode } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { pathsOf } from "./node-view";
import { subtreePattern } from "./paths";
import { MAX_TREE_LEVELS } from "./schemas";

export async function pathOf(db: Db, node: Pick<ResourceNode, "id" | "name" | "idPath">): Promise<string> {
  return (await pathsOf(db, [node])).get(node.id)!;
}

/**
 * Refuses a name already taken among the children of `parent` (null: among the roots) by a node other than
 * `exceptId`. The unique index on (parentId, name) backs this up for children; roots have a NULL parent, which the
 * index does not compare, so for them this check is the rule.
 */
export async function assertNameFree(db: Db, parent: ResourceNode | null, name: string, exceptId?: string): Promise<void> {
  const taken = await db.resourceNode.findFirst({
    where: { parentId: parent?.id ?? null, name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (!taken) return;
  throw new AppError("conflict", parent ? `A node named "${name}" already exists under ${await pathOf(db, parent)}` : `A root node named "${name}" already exists`);
}

export function tooDeep(): AppError {
  return new AppError("conflict", `The tree is at most ${MAX_TREE_LEVELS} levels deep`);
}

/** The deepest depth in the subtree of `node` (the node included). */
export async function maxDepthBelow(db: Db, node: Pick<ResourceNode, "idPath" | "depth">): Promise<number> {
  const rows = await db.$queryRaw<{ d: unknown }[]>`SELECT MAX("depth") AS d FROM "ResourceNode" WHERE "idPath" LIKE ${subtreePattern(node.idPath)} ESCAPE '\\'`;
  const d = rows[0]?.d;
  return d === null || d === undefined ? node.depth : Number(d);
}

/** Ids and depths of the subtree of `node` (the node included). */
export async function subtreeOf(db: Db, node: Pick<ResourceNode, "idPath">): Promise<{ id: string; depth: number }[]> {
  const rows = await db.$queryRaw<{ id: string; depth: unknown }[]>`SELECT "id", "depth" FROM "ResourceNode" WHERE "idPath" LIKE ${subtreePattern(node.idPath)} ESCAPE '\\'`;
  return rows.map((r) => ({ id: r.id, depth: Number(r.depth) }));
}
