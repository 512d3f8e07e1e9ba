import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { newId } from "@/lib/ids";
import { ensureAuthzBuiltIns } from "./ensure-authz-built-ins";
import { assertRoleNameFree, toolIdsOf } from "./resolve-role";
import { loadRoleView, type RoleView } from "./role-view";
import { type CreateRoleInput, createRoleInput } from "./schemas";

/** Adds a custom role: a name unique in any case, a description, and a set of tools (names or ids). */
export async function createRole(db: Db, input: CreateRoleInput, actor: Actor, now = new Date()): Promise<RoleView> {
  const data = createRoleInput.parse(input);
  // the built-ins first, so that a custom role cannot take one of their names
  await ensureAuthzBuiltIns(db);
  try {
    return await changeAuthz(db, async (tx) => {
      await assertRoleNameFree(tx, data.name);
      const tools = await toolIdsOf(tx, data.tools);
      const role = await tx.role.create({ data: { id: newId("role", now.getTime()), name: data.name, description: data.description, createdAt: now } });
      if (tools.length > 0) await tx.roleTool.createMany({ data: tools.map((t) => ({ roleId: role.id, toolId: t.id })) });
      await recordAuditEvent(
        tx,
        {
          actor,
          action: "role.create",
          target: { type: "role", id: role.id },
          details: { name: role.name, description: role.description, tools: tools.map((t) => t.name).sort() },
        },
        now,
      );
      return loadRoleView(tx, role.id);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `A role named ${data.name} already exists`);
    throw e;
  }
}
