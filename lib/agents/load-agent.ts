// Reading agents into views, shared by the agent use cases. The secret statistics of any number of agents come
// from one grouped query, never one query per agent.
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type ActiveSecretStats, activeSecretWhere, type AgentView, toAgentView } from "./agent-view";

export const withOwner = { owner: { select: { id: true, email: true } } } as const;

/** Active-secret count, oldest active secret and soonest expiry per agent, in one grouped query over the given ids. */
export async function activeSecretStats(db: Db, agentIds: string[], now: Date): Promise<Map<string, ActiveSecretStats>> {
  const stats = new Map<string, ActiveSecretStats>();
  if (agentIds.length === 0) return stats;
  const groups = await db.clientSecret.groupBy({
    by: ["agentId"],
    where: { agentId: { in: agentIds }, ...activeSecretWhere(now) },
    _count: { _all: true },
    _min: { createdAt: true, expiresAt: true },
  });
  for (const g of groups) {
    stats.set(g.agentId, { count: g._count._all, oldestCreatedAt: g._min.createdAt, soonestExpiresAt: g._min.expiresAt });
  }
  return stats;
}

const NO_SECRETS: ActiveSecretStats = { count: 0, oldestCreatedAt: null, soonestExpiresAt: null };

/** The view of one agent, or a 404. */
export async function loadAgentView(db: Db, id: string, now = new Date()): Promise<AgentView> {
  const agent = await db.agent.findUnique({ where: { id }, include: withOwner });
  if (!agent) throw notFound("Agent");
  const stats = await activeSecretStats(db, [id], now);
  return toAgentView(agent, stats.get(id) ?? NO_SECRETS, now);
}

/** Views of several agents (rows already loaded with their owner), in the given order. */
export async function toAgentViews(
  db: Db,
  agents: Parameters<typeof toAgentView>[0][],
  now = new Date(),
): Promise<AgentView[]> {
  const stats = await activeSecretStats(
    db,
    agents.map((a) => a.id),
    now,
  );
  return agents.map((a) => toAgentView(a, stats.get(a.id) ?? NO_SECRETS, now));
}

/**
 * The agent a new credential is for, or a 404. A killed agent gets no new credential: issuing one would hand a
 * working secret to something the kill switch cut off. (Revoking stays possible whatever the status.)
 */
export async function agentForNewCredential(db: Db, id: string) {
  const agent = await db.agent.findUnique({ where: { id }, select: { id: true, name: true, status: true } });
  if (!agent) throw notFound("Agent");
  if (agent.status === "killed") throw new AppError("conflict", "This agent was killed; it cannot get new credentials");
  return agent;
}
