import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { changeCredentials } from "./credential-cache";
import { AppError, notFound } from "@/lib/errors/app-error";
import type { AgentView } from "./agent-view";
import { loadAgentView } from "./load-agent";

/**
 * Suspends an active agent: it gets no new tokens, and bumping its token epoch ends the tokens it holds (every
 * check compares a token's epoch with the agent's). The conditional update makes two racing suspensions record one
 * event.
 */
export async function suspendAgent(db: Db, id: string, actor: Actor): Promise<AgentView> {
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.agent.updateMany({
      where: { id, status: "active" },
      data: { status: "suspended", tokenEpoch: { increment: 1 } },
    });
    if (count === 0) {
      const agent = await tx.agent.findUnique({ where: { id }, select: { status: true } });
      if (!agent) throw notFound("Agent");
      if (agent.status === "killed") throw new AppError("conflict", "This agent was killed; it is already cut off");
      if (agent.status === "pending") throw new AppError("conflict", "This agent is pending activation; it has no tokens to stop");
      throw new AppError("conflict", "This agent is already suspended");
    }
    const view = await loadAgentView(tx, id);
    await recordAuditEvent(tx, { actor, action: "agent.suspend", target: { type: "agent", id }, details: { name: view.name } });
    return view;
  });
}
