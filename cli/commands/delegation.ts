// deputy delegation allow|deny|list: which agent may hand its tokens to which (token exchange, RFC 8693).
import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { createDelegationRule } from "@/lib/delegation/create-delegation-rule";
import { deleteDelegationRule } from "@/lib/delegation/delete-delegation-rule";
import { listDelegationRules } from "@/lib/delegation/list-delegation-rules";
import { type Output, print, table, UsageError } from "../output";
import { type Flags, need, optional } from "./flags";

export async function delegationCommand(db: DbClient, sub: string | undefined, flags: Flags, actor: Actor, o: Output) {
  switch (sub) {
    case "allow": {
      const r = await createDelegationRule(db, { from: need(flags, "from"), to: need(flags, "to") }, actor);
      return print(o, r, `${r.from.name} (${r.from.id}) may now delegate to ${r.to.name} (${r.to.id})`);
    }
    case "deny": {
      const r = await deleteDelegationRule(db, { from: need(flags, "from"), to: need(flags, "to") }, actor);
      return print(o, r, `${r.from} may no longer delegate to ${r.to}`);
    }
    case "list": {
      const agent = optional(flags, "agent");
      const rules = await listDelegationRules(db, agent ? { agent } : {});
      const rows = rules.map((r) => ({ from: r.from.id, fromName: r.from.name ?? "(deleted)", to: r.to.id, toName: r.to.name ?? "(deleted)", createdAt: r.createdAt }));
      return print(o, rules, () => table(rows, ["from", "fromName", "to", "toName", "createdAt"]));
    }
    default:
      throw new UsageError(`unknown delegation command: ${sub ?? "(none)"}`);
  }
}
