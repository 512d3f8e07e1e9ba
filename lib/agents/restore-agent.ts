import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import type { AgentView } from "./agent-view";
import { changeCredentials } from "./credential-cache";
import { issueClientSecret } from "./issue-client-secret";
import { loadAgentView } from "./load-agent";
import { type RestoreAgentInput, restoreAgentInput } from "./schemas";

/**
 * Undoes the kill switch, explicitly: the agent is active again with one fresh client secret, returned here once.
 * Everything it held before stays dead: its old secrets and keys stay revoked, its token epoch is not lowered (its
 * old tokens keep failing), and killedAt stays, so delegated tokens naming it from before the kill keep failing too.
 */
export async function restoreAgent(
  db: Db,
  id: string,
  input: RestoreAgentInput,
  actor: Actor,
  now = new Date(),
): Promise<{ agent: AgentView; clientSecret: string; secretId: string }> {
  const { secretExpiresInDays } = restoreAgentInput.parse(input);
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.agent.updateMany({ where: { id, status: "killed" }, data: { status: "active" } });
    if (count === 0) {
      const agent = await tx.agent.findUnique({ where: { id }, select: { status: true } });
      if (!agent) throw notFound("Agent");
      throw new AppError("conflict", "Only a killed agent is restored; this one is not killed");
    }
    const { row, clientSecret } = await issueClientSecret(tx, id, secretExpiresInDays, now);
    const agent = await loadAgentView(tx, id, now);
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "agent.restore",
        target: { type: "agent", id },
        details: { name: agent.name, killedAt: agent.killedAt, secretId: row.id, last4: row.last4, expiresAt: row.expiresAt.toISOString() },
      },
      now,
    );
    return { agent, clientSecret, secretId: row.id };
  });
}
