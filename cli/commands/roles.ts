import type { DbClient } from "@/lib/db/client";
import { listRoles } from "@/lib/roles/list-roles";
import { type Output, print, table, UsageError } from "../output";

export async function roleCommand(db: DbClient, sub: string | undefined, o: Output) {
  switch (sub) {
    case "list": {
      const roles = await listRoles(db);
      const rows = roles.map((r) => ({ ...r, builtIn: r.builtIn ? "yes" : "", tools: r.tools.map((t) => t.name).join(",") }));
      return print(o, roles, () => table(rows, ["id", "name", "builtIn", "grantCount", "tools"]));
    }
    default:
      throw new UsageError(`unknown role command: ${sub ?? "(none)"}`);
  }
}
