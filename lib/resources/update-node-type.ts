import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { type NodeTypeView, toNodeTypeView } from "./node-type-view";
import { type UpdateNodeTypeInput, updateNodeTypeInput } from "./schemas";

/**
 * Changes a node type's icon, built-in types included (ensureNodeTypes keeps an existing icon). Icons change no
 * decision: the authorization version does not move. Nothing is recorded when the icon is the same.
 */
export async function updateNodeType(db: Db, name: string, input: UpdateNodeTypeInput, actor: Actor, now = new Date()): Promise<NodeTypeView> {
  const { icon } = updateNodeTypeInput.parse(input);
  await ensureAuthzBuiltIns(db);
  return inTransaction(db, async (tx) => {
    const before = await tx.nodeType.findUnique({ where: { name: name.trim() } });
    if (!before) throw notFound("Node type");
    if (before.icon === icon) return toNodeTypeView(before);
    const row = await tx.nodeType.update({ where: { name: before.name }, data: { icon } });
    await recordAuditEvent(
      tx,
      { actor, action: "node_type.update", target: { type: "node_type", id: row.name }, details: { name: row.name, changes: { icon: { from: before.icon, to: icon } } } },
      now,
    );
    return toNodeTypeView(row);
  });
}
