// deputy freeze ... and deputy drill ...: incident mode and kill-switch drills (agent kill/restore live in agents.ts).
import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { listDrills } from "@/lib/drills/list-drills";
import { runDrill } from "@/lib/drills/run-drill";
import { createFreeze } from "@/lib/freezes/create-freeze";
import { liftFreeze } from "@/lib/freezes/lift-freeze";
import { listFreezes } from "@/lib/freezes/list-freezes";
import { type Output, print, table, UsageError } from "../output";
import { first, type Flags, optional } from "./flags";

export async function freezeCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "create": {
      const f = await createFreeze(db, { node: optional(flags, "node") ?? null, reason: optional(flags, "reason") }, actor);
      return print(o, f, `froze ${f.agentIds.length} agents (${f.nodePath ?? "every agent"}): freeze ${f.id}; lift it with: deputy freeze lift ${f.id}`);
    }
    case "list": {
      const freezes = await listFreezes(db, flags.active === true ? { active: "true" } : {});
      const rows = freezes.map((f) => ({ ...f, scope: f.nodePath ?? (f.nodeId ? f.nodeId : "all agents"), state: f.active ? "in force" : "lifted" }));
      return print(o, freezes, () => table(rows, ["id", "state", "scope", "frozenAgents", "reason", "createdAt", "liftedAt"]));
    }
    case "lift": {
      const f = await liftFreeze(db, first(positionals, "freeze lift <freeze id>"), actor);
      const handed = Object.values(f.handedOver).flat().length;
      return print(o, f, `lifted ${f.id}: ${f.reactivatedAgentIds.length} agents reactivated${handed ? `, ${handed} still held by another freeze` : ""}`);
    }
    default:
      throw new UsageError(`unknown freeze command: ${sub ?? "(none)"}`);
  }
}

/** Returns the exit code: a drill that did not pass is a failure (1), so that a scheduled drill can alert. */
export async function drillCommand(db: DbClient, sub: string | undefined, actor: Actor, o: Output): Promise<number> {
  switch (sub) {
    case "run": {
      const d = await runDrill(db, actor);
      print(o, d, () =>
        [
          `drill ${d.id}: ${d.status}${d.timeToEffectMs !== null ? `, time to effect ${d.timeToEffectMs} ms` : ""}${d.error ? ` (${d.error})` : ""}`,
          ...d.steps.map((s) => `  ${s.at}  ${s.ok ? "ok  " : "FAIL"}  ${s.step.padEnd(22)} ${s.detail}`),
        ].join("\n"),
      );
      return d.status === "passed" ? 0 : 1;
    }
    case "list": {
      const drills = await listDrills(db);
      const rows = drills.map((d) => ({ ...d, timeToEffect: d.timeToEffectMs === null ? "" : `${d.timeToEffectMs} ms` }));
      print(o, drills, () => table(rows, ["id", "status", "timeToEffect", "startedAt", "error"]));
      return 0;
    }
    default:
      throw new UsageError(`unknown drill command: ${sub ?? "(none)"}`);
  }
}
