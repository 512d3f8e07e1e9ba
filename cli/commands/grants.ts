import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { createGrant } from "@/lib/grants/create-grant";
import type { GrantView } from "@/lib/grants/grant-view";
import { listGrants } from "@/lib/grants/list-grants";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import type { CreateGrantInput, ListGrantsQuery } from "@/lib/grants/schemas";
import { type Output, print, table, UsageError } from "../output";
import { first, type Flags, jsonFlag, need, optional } from "./flags";

function principalOf(flags: Flags): CreateGrantInput["principal"] {
  const agent = optional(flags, "agent");
  const user = optional(flags, "user");
  if ((agent === undefined) === (user === undefined)) throw new UsageError("give exactly one of --agent ID or --user EMAIL");
  return agent !== undefined ? { type: "agent", id: agent } : user!.includes("@") ? { type: "user", email: user } : { type: "user", id: user };
}

const what = (g: GrantView) => (g.role ? `role ${g.role.name}` : `tool ${g.tool!.name}`);

export async function grantCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "create": {
      const role = optional(flags, "role");
      const tool = optional(flags, "tool");
      if ((role === undefined) === (tool === undefined)) throw new UsageError("give exactly one of --role NAME or --tool NAME");
      const grant = await createGrant(
        db,
        {
          principal: principalOf(flags),
          role,
          tool,
          node: need(flags, "node"),
          expiresAt: optional(flags, "expires"),
          notBefore: optional(flags, "not-before"),
          constraints: jsonFlag(flags, "constraints") as CreateGrantInput["constraints"],
          schedule: jsonFlag(flags, "schedule") as CreateGrantInput["schedule"],
          requiresApproval: flags["requires-approval"] === true,
          reason: need(flags, "reason"),
        },
        actor,
      );
      return print(o, grant, `granted ${grant.id}: ${grant.principal.type} ${grant.principal.label} ${what(grant)} on ${grant.node.path} (${grant.status})`);
    }
    case "list": {
      const agent = optional(flags, "agent");
      const user = optional(flags, "user");
      if (agent !== undefined && user !== undefined) throw new UsageError("give at most one of --agent or --user");
      const query: ListGrantsQuery = {
        ...(agent !== undefined ? { principalType: "agent", principalId: agent } : {}),
        ...(user !== undefined ? { principalType: "user", principalId: user } : {}),
        node: optional(flags, "node"),
        includeInherited: flags.inherited === true,
        status: optional(flags, "status") as never, // validated by listGrantsQuery
        limit: 500,
      };
      const grants: GrantView[] = [];
      for (let cursor: string | undefined; ; ) {
        const page = await listGrants(db, { ...query, cursor });
        grants.push(...page.grants);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      const rows = grants.map((g) => ({
        id: g.id,
        principal: `${g.principal.type}:${g.principal.label}`,
        grants: what(g),
        node: g.node.path,
        status: g.status,
        expiresAt: g.expiresAt ?? "",
      }));
      return print(o, grants, () => table(rows, ["id", "principal", "grants", "node", "status", "expiresAt"]));
    }
    case "revoke": {
      const grant = await revokeGrant(db, first(positionals, "grant revoke <grant id>"), actor);
      return print(o, grant, `revoked ${grant.id} (${grant.principal.label}: ${what(grant)} on ${grant.node.path})`);
    }
    default:
      throw new UsageError(`unknown grant command: ${sub ?? "(none)"}`);
  }
}
