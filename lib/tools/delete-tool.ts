import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { toolByRef } from "./resolve-tool";
import { rolesOfTools } from "./tool-view";

/**
 * Removes a tool from the catalog and from every role. Refused while a grant of the tool itself is not revoked
 * (revoke those first); revoked grants of it grant nothing, their rows go with it and their history stays in the
 * audit trail. Roles that held it lose it: their grants no longer cover it.
 */
export async function deleteTool(db: Db, ref: string, actor: Actor, now = new Date()): Promise<{ id: string; name: string; roles: string[] }> {
  return changeAuthz(db, async (tx, note) => {
    const tool = await toolByRef(tx, ref);
    const granted = await tx.grant.count({ where: { toolId: tool.id, revokedAt: null } });
    if (granted > 0) {
      throw new AppError("conflict", `Tool ${tool.name} is granted (${granted} ${granted === 1 ? "grant" : "grants"}); revoke its grants first`);
    }
    const roles = (await rolesOfTools(tx, [tool.id])).get(tool.id) ?? [];
    const revokedGrantIds = (await tx.grant.findMany({ where: { toolId: tool.id }, select: { id: true } })).map((g) => g.id);
    await tx.grant.deleteMany({ where: { toolId: tool.id } });
    await tx.tool.delete({ where: { id: tool.id } }); // RoleTool rows cascade
    note.tools([tool.id]); // no live grant names it (checked above); the revoked ones were in no snapshot
    await recordAuditEvent(
      tx,
      { actor, action: "tool.delete", target: { type: "tool", id: tool.id }, details: { name: tool.name, risk: tool.risk, roles: roles.sort(), revokedGrantIds } },
      now,
    );
    return { id: tool.id, name: tool.name, roles };
  });
}
