import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { createRole } from "@/lib/roles/create-role";
import { deleteRole } from "@/lib/roles/delete-role";
import { getRole } from "@/lib/roles/get-role";
import { listRoles } from "@/lib/roles/list-roles";
import type { RoleView } from "@/lib/roles/role-view";
import { updateRole } from "@/lib/roles/update-role";
import { type Output, print, table, UsageError } from "../output";
import { first, type Flags, need, optional } from "./flags";

/** --tools "github.push deploy.release" (spaces or commas): the role's whole set; "" empties it. */
function toolsFlag(flags: Flags): string[] | undefined {
  const v = optional(flags, "tools");
  return v === undefined ? undefined : v.split(/[\s,]+/).filter(Boolean);
}

const toolNames = (r: RoleView) => r.tools.map((t) => t.name).join(", ") || "none";

export async function roleCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "list": {
      const roles = await listRoles(db);
      const rows = roles.map((r) => ({ ...r, builtIn: r.builtIn ? "yes" : "", tools: r.tools.map((t) => t.name).join(",") }));
      return print(o, roles, () => table(rows, ["id", "name", "builtIn", "grantCount", "tools"]));
    }
    case "show": {
      const r = await getRole(db, first(positionals, "role show <id|name>"));
      const kind = r.builtIn ? "built-in" : "custom";
      return print(o, r, `${r.name} (${r.id}, ${kind}; ${r.grantCount} active grants)\n${r.description ? `${r.description}\n` : ""}tools: ${toolNames(r)}`);
    }
    case "create": {
      const r = await createRole(db, { name: need(flags, "name"), description: optional(flags, "description"), tools: toolsFlag(flags) }, actor);
      return print(o, r, `created role ${r.name} (${r.id}; tools: ${toolNames(r)})`);
    }
    case "update": {
      const ref = first(positionals, 'role update <id|name> [--name N] [--description D] [--tools "a b"]');
      const patch = { name: optional(flags, "name"), description: optional(flags, "description"), tools: toolsFlag(flags) };
      if (Object.values(patch).every((v) => v === undefined)) throw new UsageError("nothing to change: give --name, --description or --tools");
      const r = await updateRole(db, ref, patch, actor);
      return print(o, r, `updated role ${r.name} (tools: ${toolNames(r)}; ${r.grantCount} active grants now cover them)`);
    }
    case "delete": {
      const r = await deleteRole(db, first(positionals, "role delete <id|name>"), actor);
      return print(o, r, `deleted role ${r.name} (${r.id})`);
    }
    default:
      throw new UsageError(`unknown role command: ${sub ?? "(none)"}`);
  }
}
