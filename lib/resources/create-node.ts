import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { newId } from "@/lib/ids";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { type NodeView, toNodeView } from "./node-view";
import { resolveNodeRef } from "./resolve-node-ref";
import { type CreateNodeInput, createNodeInput, MAX_TREE_LEVELS } from "./schemas";
import { assertNameFree, pathOf, tooDeep } from "./tree-rules";

/**
 * Adds a node under a parent (by id or path), or a root when no parent is given. Its name is unique among its
 * siblings; its idPath is the parent's followed by its own id.
 */
export async function createNode(db: Db, input: CreateNodeInput, actor: Actor, now = new Date()): Promise<NodeView> {
  const data = createNodeInput.parse(input);
  await ensureAuthzBuiltIns(db);
  try {
    return await changeAuthz(db, async (tx, note) => {
      if (!(await tx.nodeType.findUnique({ where: { name: data.type } }))) {
        throw new AppError("validation_failed", `type: no node type ${data.type}`, [{ path: "type", message: `no node type ${data.type}` }]);
      }
      const parent = data.parent ? await resolveNodeRef(tx, data.parent) : null;
      if (parent && parent.depth + 1 >= MAX_TREE_LEVELS) throw tooDeep();
      await assertNameFree(tx, parent, data.name);
      const id = newId("resourceNode", now.getTime());
      const row = await tx.resourceNode.create({
        data: {
          id,
          parentId: parent?.id ?? null,
          type: data.type,
          name: data.name,
          idPath: `${parent?.idPath ?? ""}${id}/`,
          depth: parent ? parent.depth + 1 : 0,
          createdAt: now,
        },
      });
      note.nodes([id]);
      const path = parent ? `${await pathOf(tx, parent)}/${row.name}` : row.name;
      await recordAuditEvent(
        tx,
        { actor, action: "node.create", target: { type: "node", id }, details: { name: row.name, type: row.type, parentId: row.parentId, path } },
        now,
      );
      return toNodeView(row, path);
    });
  } catch (e) {
    // the in-transaction check answers first; this is the index's backstop
    if (isUniqueViolation(e)) throw new AppError("conflict", `A node named "${data.name}" already exists there`);
    throw e;
  }
}
