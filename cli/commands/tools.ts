import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { createTool } from "@/lib/tools/create-tool";
import { deleteTool } from "@/lib/tools/delete-tool";
import { listTools } from "@/lib/tools/list-tools";
import { updateTool } from "@/lib/tools/update-tool";
import { type Output, print, table, UsageError } from "../output";
import { first, type Flags, jsonFlag, need, optional, wholeNumber } from "./flags";

export async function toolCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "create": {
      const tool = await createTool(
        db,
        {
          name: need(flags, "name"),
          risk: need(flags, "risk") as never, // validated by createToolInput
          description: optional(flags, "description"),
          paramsSchema: jsonFlag(flags, "params-schema") as Record<string, unknown> | undefined,
        },
        actor,
      );
      return print(o, tool, `created tool ${tool.name} (${tool.id}, ${tool.risk}; roles: ${tool.roles.join(", ") || "none"})`);
    }
    case "update": {
      const tool = await updateTool(
        db,
        first(positionals, "tool update <id|name> [--description D] [--params-schema JSON] [--risk R] [--approval-policy P] ..."),
        {
          description: optional(flags, "description"),
          paramsSchema: jsonFlag(flags, "params-schema") as Record<string, unknown> | undefined,
          risk: optional(flags, "risk") as never, // validated by updateToolInput
          approvalPolicy: optional(flags, "approval-policy") as never,
          approvalQuorum: wholeNumber(flags, "approval-quorum"),
          approvalTtlSeconds: wholeNumber(flags, "approval-ttl"),
        },
        actor,
      );
      return print(o, tool, `updated tool ${tool.name} (${tool.risk}; approval: ${tool.approvalPolicy}, ${tool.approvalTtlSeconds}s)`);
    }
    case "list": {
      const tools = await listTools(db);
      return print(o, tools, () => table(tools.map((t) => ({ ...t, roles: t.roles.join(",") })), ["id", "name", "risk", "roles", "description"]));
    }
    case "delete": {
      const r = await deleteTool(db, first(positionals, "tool delete <id|name>"), actor);
      return print(o, r, `deleted tool ${r.name} (${r.id})`);
    }
    default:
      throw new UsageError(`unknown tool command: ${sub ?? "(none)"}`);
  }
}
