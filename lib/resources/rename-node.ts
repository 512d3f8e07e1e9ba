import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { type NodeView, toNodeView } from "./node-view";
import { nodeById, resolveNodeRef } from "./resolve-node-ref";
import { type RenameNodeInput, renameNodeInput } from "./schemas";
import { assertNameFree, pathOf } from "./tree-rules";

/**
 * Renames a node (unique among its siblings). Its id and grants stay; paths through it change, so the
 * authorization version moves (a decision asked by path resolves differently).
 */
export async function renameNode(db: Db, ref: string, input: RenameNodeInput, actor: Actor, now = new Date()): Promise<NodeView> {
  const { name } = renameNodeInput.parse(input);
  try {
    return await changeAuthz(db, async (tx, note) => {
      const node = await resolveNodeRef(tx, ref);
      if (node.name === name) return toNodeView(node, await pathOf(tx, node));
      const parent = node.parentId ? await nodeById(tx, node.parentId) : null;
      await assertNameFree(tx, parent, name, node.id);
      const fromPath = await pathOf(tx, node);
      const row = await tx.resourceNode.update({ where: { id: node.id }, data: { name, updatedAt: now } });
      note.nodes([node.id]);
      const path = await pathOf(tx, row);
      await recordAuditEvent(
        tx,
        { actor, action: "node.rename", target: { type: "node", id: node.id }, details: { from: node.name, to: name, fromPath, path } },
        now,
      );
      return toNodeView(row, path);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `A node named "${name}" already exists there`);
    throw e;
  }
}
