// The built-in node types and roles, ensured idempotently: by the first-run seed, and lazily by the use cases that
// need them (listing types and roles, creating nodes, tools and grants). After the first success in a process it
// costs nothing: built-ins are never deleted (delete-role refuses them, node types have no delete).
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { changeAuthz } from "@/lib/grants/authz-version";
import { BUILT_IN_NODE_TYPES, ensureNodeTypes, nodeTypesEnsured } from "@/lib/resources/ensure-node-types";
import { builtInActor, builtInRolesEnsured, ensureBuiltInRoles } from "./built-in-roles";

const g = globalThis as unknown as { __deputyAuthzBuiltIns?: boolean };

export async function ensureAuthzBuiltIns(db: Db, now = new Date()): Promise<void> {
  if (g.__deputyAuthzBuiltIns) return;
  if (!((await nodeTypesEnsured(db)) && (await builtInRolesEnsured(db)))) {
    await changeAuthz(db, async (tx) => {
      const had = new Set((await tx.nodeType.findMany({ where: { builtIn: true }, select: { name: true } })).map((t) => t.name));
      await ensureNodeTypes(tx);
      for (const t of BUILT_IN_NODE_TYPES.filter((t) => !had.has(t.name))) {
        await recordAuditEvent(tx, { actor: builtInActor, action: "node_type.create", target: { type: "node_type", id: t.name }, details: { name: t.name, icon: t.icon, builtIn: true } }, now);
      }
      await ensureBuiltInRoles(tx, now);
    });
  }
  // only a client's work is certain to stay; a transaction's may still roll back
  if ("$disconnect" in db) g.__deputyAuthzBuiltIns = true;
}
