import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { setRoleTools } from "./built-in-roles";
import { assertRoleNameFree, roleByRef, toolIdsOf } from "./resolve-role";
import { loadRoleView, type RoleView } from "./role-view";
import { type UpdateRoleInput, updateRoleInput } from "./schemas";

type Change = { from: unknown; to: unknown };

/**
 * Changes a role's name, description or tools (the whole set). Grants of the role cover its new set of tools at
 * once. A built-in role's name and tools are fixed (its tools follow tool risks); its description may change.
 * One role.update event lists each change; nothing is recorded when nothing changed.
 */
export async function updateRole(db: Db, ref: string, input: UpdateRoleInput, actor: Actor, now = new Date()): Promise<RoleView> {
  const patch = updateRoleInput.parse(input);
  return changeAuthz(db, async (tx) => {
    const role = await roleByRef(tx, ref);
    const changes: Record<string, Change> = {};
    const data: { name?: string; description?: string } = {};
    if (patch.name !== undefined && patch.name !== role.name) {
      if (role.builtIn) throw new AppError("conflict", `${role.name} is a built-in role: it cannot be renamed`);
      await assertRoleNameFree(tx, patch.name, role.id);
      changes.name = { from: role.name, to: patch.name };
      data.name = patch.name;
    }
    if (patch.description !== undefined && patch.description !== role.description) {
      changes.description = { from: role.description, to: patch.description };
      data.description = patch.description;
    }
    if (patch.tools !== undefined) {
      const tools = await toolIdsOf(tx, patch.tools);
      const current = await tx.roleTool.findMany({ where: { roleId: role.id }, select: { tool: { select: { id: true, name: true } } } });
      const same = current.length === tools.length && tools.every((t) => current.some((c) => c.tool.id === t.id));
      if (!same) {
        if (role.builtIn) throw new AppError("conflict", `${role.name} is a built-in role: its tools follow tool risks and cannot be edited`);
        await setRoleTools(tx, role.id, tools.map((t) => t.id));
        changes.tools = { from: current.map((c) => c.tool.name).sort(), to: tools.map((t) => t.name).sort() };
      }
    }
    if (Object.keys(changes).length === 0) return loadRoleView(tx, role.id);
    await tx.role.update({ where: { id: role.id }, data: { ...data, updatedAt: now } });
    await recordAuditEvent(tx, { actor, action: "role.update", target: { type: "role", id: role.id }, details: { name: data.name ?? role.name, changes } }, now);
    return loadRoleView(tx, role.id);
  });
}
