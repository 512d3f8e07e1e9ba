import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { changeCredentials } from "./credential-cache";
import { AppError, notFound } from "@/lib/errors/app-error";
import type { AgentView } from "./agent-view";
import { loadAgentView } from "./load-agent";

/**
 * Reactivates a suspended agent: it can get new tokens again. Tokens from before the suspension stay dead, because
 * the suspension bumped the token epoch and this does not lower it. A killed agent is not reactivated here: undoing
 * the kill switch is its own, separately audited action.
 */
export async function reactivateAgent(db: Db, id: string, actor: Actor): Promise<AgentView> {
  return changeCredentials(db, async (tx) => {
    // frozenById goes too: a freeze lifted later must not count this agent as still suspended by it
    const { count } = await tx.agent.updateMany({ where: { id, status: "suspended" }, data: { status: "active", frozenById: null } });
    if (count === 0) {
      const agent = await tx.agent.findUnique({ where: { id }, select: { status: true } });
      if (!agent) throw notFound("Agent");
      if (agent.status === "killed") {
        throw new AppError("conflict", "This agent was killed; it cannot be reactivated, only restored through the kill switch");
      }
      throw new AppError("conflict", "This agent is already active");
    }
    const view = await loadAgentView(tx, id);
    await recordAuditEvent(tx, { actor, action: "agent.reactivate", target: { type: "agent", id }, details: { name: view.name } });
    return view;
  });
}
