import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import type { AgentView } from "./agent-view";
import { changeCredentials } from "./credential-cache";
import { loadAgentView } from "./load-agent";

/**
 * Activates an agent that registered itself (RFC 7591, lib/dcr) and waits as `pending`: from now on it can get
 * tokens with the credentials it registered. Only a pending agent is activated here; a suspended one is reactivated,
 * a killed one restored, each by its own audited action. Through changeCredentials, because the token endpoint reads
 * agents from the credential cache: every instance sees the new status within its check interval.
 */
export async function activateAgent(db: Db, id: string, actor: Actor): Promise<AgentView> {
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.agent.updateMany({ where: { id, status: "pending" }, data: { status: "active" } });
    if (count === 0) {
      const agent = await tx.agent.findUnique({ where: { id }, select: { status: true } });
      if (!agent) throw notFound("Agent");
      throw new AppError("conflict", `This agent is ${agent.status}, not pending activation`);
    }
    const view = await loadAgentView(tx, id);
    await recordAuditEvent(tx, { actor, action: "agent.activate", target: { type: "agent", id }, details: { name: view.name, ownerId: view.owner.id } });
    return view;
  });
}
