// The built-in roles and how their tools follow tool risks: Viewer holds every read tool, Editor every read and write
// tool, Deployer every tool, Approver none (it marks who approves irreversible calls on a part of the tree).
// Invariant: a built-in role holds exactly the tools of its risks. Creating a tool and changing a tool's risk keep it
// so in the same transaction; the built-ins' names and tools cannot be edited.
import type { Actor } from "@/lib/audit/actor";
import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { Risk } from "@/lib/authz/types";

export const BUILT_IN_ROLES: readonly { name: string; description: string; risks: readonly Risk[] }[] = [
  { name: "Viewer", description: "Calls every read tool.", risks: ["read"] },
  { name: "Editor", description: "Calls every read and write tool.", risks: ["read", "write"] },
  {
    name: "Deployer",
    description: "Calls every tool, irreversible ones included (each irreversible call still needs a human approval).",
    risks: ["read", "write", "irreversible"],
  },
  { name: "Approver", description: "Approves irreversible calls on this part of the tree; calls no tools itself.", risks: [] },
];

const BUILT_IN_NAMES = BUILT_IN_ROLES.map((r) => r.name);

export const builtInActor: Actor = systemActor("built-ins", "built-in roles and node types");

export function builtInRolesFor(risk: string): string[] {
  return BUILT_IN_ROLES.filter((r) => (r.risks as readonly string[]).includes(risk)).map((r) => r.name);
}

/** Whether the four built-in roles exist (one query). */
export async function builtInRolesEnsured(db: Db): Promise<boolean> {
  return (await db.role.count({ where: { name: { in: BUILT_IN_NAMES }, builtIn: true } })) === BUILT_IN_ROLES.length;
}

/**
 * Creates the missing built-in roles, each with the tools of its risks, and records a role.create event for each one
 * it made. Run inside changeAuthz (its lock makes two instances doing this at once take turns).
 */
export async function ensureBuiltInRoles(tx: Db, now = new Date()): Promise<void> {
  const existing = new Set((await tx.role.findMany({ where: { name: { in: BUILT_IN_NAMES } }, select: { name: true } })).map((r) => r.name));
  const tools = await tx.tool.findMany({ select: { id: true, name: true, risk: true } });
  for (const spec of BUILT_IN_ROLES) {
    const role = await tx.role.upsert({
      where: { name: spec.name },
      create: { id: newId("role", now.getTime()), name: spec.name, description: spec.description, builtIn: true, createdAt: now },
      update: { builtIn: true },
    });
    const own = tools.filter((t) => (spec.risks as readonly string[]).includes(t.risk));
    await setRoleTools(tx, role.id, own.map((t) => t.id));
    if (!existing.has(spec.name)) {
      await recordAuditEvent(
        tx,
        { actor: builtInActor, action: "role.create", target: { type: "role", id: role.id }, details: { name: spec.name, builtIn: true, tools: own.map((t) => t.name).sort() } },
        now,
      );
    }
  }
}

/** Makes a role hold exactly these tools; returns what was added and removed (tool ids). */
export async function setRoleTools(tx: Db, roleId: string, toolIds: string[]): Promise<{ added: string[]; removed: string[] }> {
  const want = new Set(toolIds);
  const have = new Set((await tx.roleTool.findMany({ where: { roleId }, select: { toolId: true } })).map((r) => r.toolId));
  const added = [...want].filter((id) => !have.has(id));
  const removed = [...have].filter((id) => !want.has(id));
  if (removed.length > 0) await tx.roleTool.deleteMany({ where: { roleId, toolId: { in: removed } } });
  if (added.length > 0) await tx.roleTool.createMany({ data: added.map((toolId) => ({ roleId, toolId })) });
  return { added, removed };
}

/**
 * Puts a tool into exactly the built-in roles of its risk (after a create or a risk change). Returns the built-in
 * roles that hold it now. Run after ensureBuiltInRoles, inside the change's transaction.
 */
export async function placeInBuiltInRoles(tx: Db, toolId: string, risk: string): Promise<string[]> {
  const roles = await tx.role.findMany({ where: { builtIn: true, name: { in: BUILT_IN_NAMES } }, select: { id: true, name: true } });
  const wanted = new Set(builtInRolesFor(risk));
  const keep = roles.filter((r) => wanted.has(r.name));
  const drop = roles.filter((r) => !wanted.has(r.name));
  if (drop.length > 0) await tx.roleTool.deleteMany({ where: { toolId, roleId: { in: drop.map((r) => r.id) } } });
  const present = new Set(
    (await tx.roleTool.findMany({ where: { toolId, roleId: { in: keep.map((r) => r.id) } }, select: { roleId: true } })).map((r) => r.roleId),
  );
  const missing = keep.filter((r) => !present.has(r.id));
  if (missing.length > 0) await tx.roleTool.createMany({ data: missing.map((r) => ({ roleId: r.id, toolId })) });
  return keep.map((r) => r.name).sort();
}
