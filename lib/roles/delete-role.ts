import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { roleByRef } from "./resolve-role";

/**
 * Deletes a custom role. Refused for the built-in roles, and while a grant of the role is not revoked (revoke those
 * first). Revoked grants of it grant nothing; their rows go with it, their history stays in the audit trail.
 */
export async function deleteRole(db: Db, ref: string, actor: Actor, now = new Date()): Promise<{ id: string; name: string }> {
  return changeAuthz(db, async (tx) => {
    const role = await roleByRef(tx, ref);
    if (role.builtIn) throw new AppError("conflict", `${role.name} is a built-in role and cannot be deleted`);
    const granted = await tx.grant.count({ where: { roleId: role.id, revokedAt: null } });
    if (granted > 0) {
      throw new AppError("conflict", `Role ${role.name} is granted (${granted} ${granted === 1 ? "grant" : "grants"}); revoke its grants first`);
    }
    const tools = await tx.roleTool.findMany({ where: { roleId: role.id }, select: { tool: { select: { name: true } } } });
    const revokedGrantIds = (await tx.grant.findMany({ where: { roleId: role.id }, select: { id: true } })).map((g) => g.id);
    await tx.grant.deleteMany({ where: { roleId: role.id } });
    await tx.role.delete({ where: { id: role.id } }); // RoleTool rows cascade
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "role.delete",
        target: { type: "role", id: role.id },
        details: { name: role.name, tools: tools.map((t) => t.tool.name).sort(), revokedGrantIds },
      },
      now,
    );
    return { id: role.id, name: role.name };
  });
}
