// The children of one node (or the roots), for the console's tree: it loads each level lazily, a page at a time.
// Ordered by name then id, with keyset paging (the (parentId, name) unique index serves both the filter and the
// order), and each child's own child count from one grouped query.
import type { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { type ChildNodeView, childCounts, type NodeView, toNodeView } from "./node-view";
import { resolveNodeRef } from "./resolve-node-ref";
import { type ListChildrenQuery, listChildrenQuery } from "./schemas";
import { pathOf } from "./tree-rules";

type Cursor = { p: string | null; n: string; id: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(raw: string, parentId: string | null): Cursor {
  const invalid = new AppError("validation_failed", "cursor: is not a cursor of this listing", [{ path: "cursor", message: "is not a cursor of this listing" }]);
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor>;
  } catch {
    throw invalid;
  }
  if (!c || c.p !== parentId || typeof c.n !== "string" || typeof c.id !== "string") throw invalid;
  return c as Cursor;
}

export type ChildrenPage = { parent: NodeView | null; nodes: ChildNodeView[]; nextCursor: string | null };

export async function listChildren(db: Db, input: ListChildrenQuery = {}): Promise<ChildrenPage> {
  const q = listChildrenQuery.parse(input);
  const parent = q.parent ? await resolveNodeRef(db, q.parent) : null;
  const parentId = parent?.id ?? null;
  const cursor = q.cursor ? decodeCursor(q.cursor, parentId) : null;
  const where: Prisma.ResourceNodeWhereInput = {
    parentId,
    ...(cursor ? { OR: [{ name: { gt: cursor.n } }, { name: cursor.n, id: { gt: cursor.id } }] } : {}),
  };
  const rows = await db.resourceNode.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const counts = await childCounts(db, page.map((r) => r.id));
  const parentPath = parent ? await pathOf(db, parent) : null;
  const last = page.at(-1);
  return {
    parent: parent ? toNodeView(parent, parentPath!) : null,
    nodes: page.map((r) => ({ ...toNodeView(r, parentPath ? `${parentPath}/${r.name}` : r.name), childCount: counts.get(r.id) ?? 0 })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ p: parentId, n: last.name, id: last.id }) : null,
  };
}
