import type { Db } from "@/lib/db/client";
import { ensureAuthzBuiltIns } from "./ensure-authz-built-ins";
import { roleGrantCounts, roleInclude, type RoleView, toRoleView } from "./role-view";

/** Every role with its tools: built-in ones first (Viewer, Editor, Deployer, Approver), then custom ones by name. */
export async function listRoles(db: Db): Promise<RoleView[]> {
  await ensureAuthzBuiltIns(db);
  const rows = await db.role.findMany({ include: roleInclude, orderBy: [{ builtIn: "desc" }, { createdAt: "asc" }, { name: "asc" }] });
  const counts = await roleGrantCounts(db, rows.map((r) => r.id));
  const order = ["Viewer", "Editor", "Deployer", "Approver"];
  const rank = (r: { builtIn: boolean; name: string }) => (r.builtIn ? order.indexOf(r.name) : order.length);
  return rows
    .sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((r) => toRoleView(r, counts.get(r.id) ?? 0));
}
