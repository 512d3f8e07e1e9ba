import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { type NodeView, toNodeView } from "./node-view";
import { resolveNodeRef } from "./resolve-node-ref";
import { subtreePattern } from "./paths";
import { MAX_TREE_LEVELS, type MoveNodeInput, moveNodeInput } from "./schemas";
import { assertNameFree, maxDepthBelow, pathOf, tooDeep } from "./tree-rules";

/**
 * Re-parents a node with its whole subtree (parent null: it becomes a root). Grants move with their nodes: a grant
 * keeps applying to its node and everything below it, wherever that now is.
 *
 * Invariant: the tree stays a tree. A node never moves under itself or one of its descendants; the check reads the
 * new parent's idPath inside the transaction, and changeAuthz serialises tree changes, so two crossing moves cannot
 * both pass it.
 *
 * The subtree's idPaths and depths are rewritten by one UPDATE with a string prefix replace, whatever its size.
 */
export async function moveNode(db: Db, ref: string, input: MoveNodeInput, actor: Actor, now = new Date()): Promise<NodeView> {
  const data = moveNodeInput.parse(input);
  try {
    return await changeAuthz(db, async (tx, note) => {
      const node = await resolveNodeRef(tx, ref);
      const parent = data.parent === null ? null : await resolveNodeRef(tx, data.parent);
      const fromPath = await pathOf(tx, node);
      if (parent && parent.idPath.startsWith(node.idPath)) {
        const where = parent.id === node.id ? "itself" : await pathOf(tx, parent);
        throw new AppError("conflict", `Moving ${fromPath} under ${where} would create a cycle`);
      }
      if ((parent?.id ?? null) === node.parentId) return toNodeView(node, fromPath);
      await assertNameFree(tx, parent, node.name, node.id);

      const depth = parent ? parent.depth + 1 : 0;
      const delta = depth - node.depth;
      if ((await maxDepthBelow(tx, node)) + delta >= MAX_TREE_LEVELS) throw tooDeep();

      const oldPrefix = node.idPath;
      const newPrefix = `${parent?.idPath ?? ""}${node.id}/`;
      await tx.resourceNode.update({ where: { id: node.id }, data: { parentId: parent?.id ?? null, updatedAt: now } });
      // the snapshot keeps parents, not paths: a move is one node to patch, whatever its subtree
      note.nodes([node.id]);
      // portable SQL (SQLite and PostgreSQL): substr is 1-based, so the rest of each path starts after the old prefix
      const moved = await tx.$executeRaw`UPDATE "ResourceNode"
        SET "idPath" = CAST(${newPrefix} AS TEXT) || substr("idPath", CAST(${oldPrefix.length + 1} AS INTEGER)),
            "depth" = "depth" + CAST(${delta} AS INTEGER)
        WHERE "idPath" LIKE ${subtreePattern(oldPrefix)} ESCAPE '\\'`;

      const row = await tx.resourceNode.findUniqueOrThrow({ where: { id: node.id } });
      const path = await pathOf(tx, row);
      await recordAuditEvent(
        tx,
        {
          actor,
          action: "node.move",
          target: { type: "node", id: node.id },
          details: { fromParentId: node.parentId, toParentId: row.parentId, fromPath, path, movedNodes: moved },
        },
        now,
      );
      return toNodeView(row, path);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", "A node with this name already exists under the new parent");
    throw e;
  }
}
