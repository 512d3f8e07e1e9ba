import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { enqueueWebhookEvent } from "@/lib/webhooks/enqueue";
import type { AgentView } from "./agent-view";
import { changeCredentials } from "./credential-cache";
import { loadAgentView } from "./load-agent";
import { type KillAgentInput, killAgentInput } from "./schemas";

export type KillResult = {
  agent: AgentView;
  revokedSecretIds: string[];
  revokedKeyIds: string[];
  cancelledApprovalIds: string[];
  revokedConsentIds: string[];
};

/**
 * The kill switch. In one transaction: the agent is `killed`; its token epoch moves, so every token it holds stops;
 * every client secret and public key it has is revoked; its pending approvals are cancelled; the consents people gave
 * it are revoked and its unused authorization codes deleted; the event is audited and `agent.killed` is queued for
 * webhook receivers (resource servers that verify tokens locally).
 *
 * Grants stay on record but grant nothing: every check refuses a token that names a killed agent anywhere in its
 * chain (lib/oauth/access-token.ts). The credentials counter moves in the same transaction, so every instance drops
 * its cached view of this agent within CHECK_INTERVAL_MS, and this one at once.
 *
 * `confirm` must equal the agent's name: an id pasted into the wrong place must not cut off the wrong agent. A kill
 * racing another kill wins once (conditional update); the loser gets a 409.
 */
export async function killAgent(db: Db, id: string, input: KillAgentInput, actor: Actor, now = new Date()): Promise<KillResult> {
  const { confirm, reason } = killAgentInput.parse(input);
  // as few round trips as the change allows: time to effect includes this transaction
  const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((r) => r.id).sort();
  const killed = await changeCredentials(db, async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id }, select: { id: true, name: true, status: true } });
    if (!agent) throw notFound("Agent");
    if (confirm.trim() !== agent.name) throw new AppError("bad_request", "The confirmation does not match the agent's name; type its name exactly");
    const { count } = await tx.agent.updateMany({
      where: { id, status: { not: "killed" } },
      // frozenById goes: lifting a freeze must never bring a killed agent back
      data: { status: "killed", killedAt: now, tokenEpoch: { increment: 1 }, frozenById: null },
    });
    if (count === 0) throw new AppError("conflict", "This agent is already killed");

    const select = { id: true } as const;
    const revokedSecretIds = await ids(tx.clientSecret.updateManyAndReturn({ where: { agentId: id, revokedAt: null }, data: { revokedAt: now }, select }));
    const revokedKeyIds = await ids(tx.agentPublicKey.updateManyAndReturn({ where: { agentId: id, revokedAt: null }, data: { revokedAt: now }, select }));
    // only pending ones: an approval decided before the kill keeps its decision (and, like the grants, allows nothing)
    const cancelledApprovalIds = await ids(
      tx.approvalRequest.updateManyAndReturn({ where: { agentId: id, status: "pending" }, data: { status: "cancelled", decidedAt: now, comment: "The agent was killed with the kill switch" }, select }),
    );
    const revokedConsentIds = await ids(tx.consent.updateManyAndReturn({ where: { agentId: id, revokedAt: null }, data: { revokedAt: now }, select }));
    await tx.authorizationCode.deleteMany({ where: { agentId: id, usedAt: null } });

    await recordAuditEvent(
      tx,
      {
        actor,
        action: "agent.kill",
        target: { type: "agent", id },
        details: { name: agent.name, previousStatus: agent.status, reason: reason ?? null, revokedSecretIds, revokedKeyIds, cancelledApprovalIds, revokedConsentIds },
      },
      now,
    );
    // receivers that verify tokens locally refuse tokens of this agent (or naming it) issued up to killed_at
    await enqueueWebhookEvent(tx, "agent.killed", { agent_id: id, agent_name: agent.name, killed_at: now.toISOString(), reason: reason ?? null }, now);
    return { revokedSecretIds, revokedKeyIds, cancelledApprovalIds, revokedConsentIds };
  });
  return { agent: await loadAgentView(db, id, now), ...killed };
}
