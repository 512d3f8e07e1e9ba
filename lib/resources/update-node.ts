import type { Actor } from "@/lib/audit/actor";
import type { Db } from "@/lib/db/client";
import { changeAuthz } from "@/lib/grants/authz-version";
import { moveNode } from "./move-node";
import { type NodeView, toNodeView } from "./node-view";
import { renameNode } from "./rename-node";
import { resolveNodeRef } from "./resolve-node-ref";
import { type UpdateNodeInput, updateNodeInput } from "./schemas";
import { pathOf } from "./tree-rules";

/**
 * PATCH of a node: a new name, a new parent, or both, in one transaction (both succeed or neither). Both references
 * are read against the tree as it was before the change: the node and the new parent are resolved first.
 */
export async function updateNode(db: Db, ref: string, input: UpdateNodeInput, actor: Actor, now = new Date()): Promise<NodeView> {
  const patch = updateNodeInput.parse(input);
  return changeAuthz(db, async (tx, note) => {
    const node = await resolveNodeRef(tx, ref);
    note.nodes([node.id]);
    const parentId = patch.parentId === undefined || patch.parentId === null ? patch.parentId : (await resolveNodeRef(tx, patch.parentId)).id;
    let view: NodeView | null = null;
    if (patch.name !== undefined) view = await renameNode(tx, node.id, { name: patch.name }, actor, now);
    if (parentId !== undefined) view = await moveNode(tx, node.id, { parent: parentId }, actor, now);
    return view ?? toNodeView(node, await pathOf(tx, node));
  });
}
