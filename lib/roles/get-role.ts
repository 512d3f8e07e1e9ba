import type { Db } from "@/lib/db/client";
import { ensureAuthzBuiltIns } from "./ensure-authz-built-ins";
import { roleByRef } from "./resolve-role";
import { loadRoleView, type RoleView } from "./role-view";

/** One role by id or name (any case), with its tools. Throws 404. */
export async function getRole(db: Db, ref: string): Promise<RoleView> {
  await ensureAuthzBuiltIns(db);
  const role = await roleByRef(db, ref);
  return loadRoleView(db, role.id);
}
