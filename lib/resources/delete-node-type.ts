import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";

/**
 * Removes a custom node type that no node carries. Built-in types stay (they would come back at the next start).
 *
 * Invariant: every node's type exists. Nodes name their type by text, with no foreign key, so "no node uses it" is
 * checked here and must hold at commit: this runs under changeAuthz, for the lock it takes rather than the version,
 * which makes it wait for (or hold off) a createNode that checked the type exists in its own transaction.
 */
export async function deleteNodeType(db: Db, name: string, actor: Actor, now = new Date()): Promise<{ name: string }> {
  await ensureAuthzBuiltIns(db);
  return changeAuthz(db, async (tx) => {
    const type = await tx.nodeType.findUnique({ where: { name: name.trim() } });
    if (!type) throw notFound("Node type");
    if (type.builtIn) throw new AppError("conflict", `${type.name} is a built-in node type: it cannot be deleted`);
    const used = await tx.resourceNode.count({ where: { type: type.name } });
    if (used > 0) {
      throw new AppError("conflict", `Node type ${type.name} is used by ${used} ${used === 1 ? "node" : "nodes"}; delete those nodes first`);
    }
    await tx.nodeType.delete({ where: { name: type.name } });
    await recordAuditEvent(tx, { actor, action: "node_type.delete", target: { type: "node_type", id: type.name }, details: { name: type.name, icon: type.icon } }, now);
    return { name: type.name };
  });
}
