// Loads what evaluate-posture.ts judges: aggregates and small samples, never whole tables, so the page stays quick
// with many agents. Each query uses an index or scans a small table (tools, drills).
import { activeSecretWhere } from "@/lib/agents/agent-view";
import type { Db } from "@/lib/db/client";
import { SUPPORTED_GRANT_TYPES } from "@/lib/oauth/grants";
import { evaluatePosture, POSTURE_LIMITS, type PostureFacts, type PostureReport } from "./evaluate-posture";

const SAMPLE = 10;
const DAY = 86_400_000;
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

export async function loadPostureFacts(db: Db, now = new Date()): Promise<PostureFacts> {
  const liveAgent = { status: { not: "killed" } };
  const staleBefore = new Date(now.getTime() - POSTURE_LIMITS.secretRotationDays * DAY);
  const activeSecret = { ...activeSecretWhere(now), agent: liveAgent };
  const noCredentials = {
    status: "active",
    secrets: { none: activeSecretWhere(now) },
    publicKeys: { none: { revokedAt: null } },
  };
  const sharedThumbprints = await db.agentPublicKey.groupBy({
    by: ["thumbprint"],
    where: { revokedAt: null, agent: liveAgent },
    having: { thumbprint: { _count: { gt: 1 } } },
    take: SAMPLE,
    orderBy: { thumbprint: "asc" },
  });
  const [
    active,
    withoutCredentials,
    withoutCredentialsCount,
    sharedKeyRows,
    maxTtl,
    overLimit,
    overLimitCount,
    activeSecrets,
    oldest,
    stale,
    staleCount,
    lastDrill,
    irreversibleTools,
    decisionCount,
    latestDecision,
    rules,
  ] = await Promise.all([
    db.agent.count({ where: { status: "active" } }),
    db.agent.findMany({ where: noCredentials, select: { id: true, name: true }, orderBy: { createdAt: "asc" }, take: SAMPLE }),
    db.agent.count({ where: noCredentials }),
    sharedThumbprints.length
      ? db.agentPublicKey.findMany({
          where: { revokedAt: null, thumbprint: { in: sharedThumbprints.map((t) => t.thumbprint) } },
          select: { thumbprint: true, agent: { select: { id: true, name: true } } },
        })
      : Promise.resolve([]),
    db.agent.findFirst({ where: liveAgent, orderBy: [{ tokenTtlSeconds: "desc" }, { createdAt: "asc" }], select: { id: true, name: true, tokenTtlSeconds: true } }),
    db.agent.findMany({
      where: { ...liveAgent, tokenTtlSeconds: { gt: POSTURE_LIMITS.maxTokenTtlSeconds } },
      select: { id: true, name: true, tokenTtlSeconds: true },
      orderBy: { tokenTtlSeconds: "desc" },
      take: SAMPLE,
    }),
    db.agent.count({ where: { ...liveAgent, tokenTtlSeconds: { gt: POSTURE_LIMITS.maxTokenTtlSeconds } } }),
    db.clientSecret.count({ where: activeSecret }),
    db.clientSecret.findFirst({ where: activeSecret, orderBy: { createdAt: "asc" }, select: { createdAt: true, agent: { select: { id: true, name: true } } } }),
    db.clientSecret.findMany({
      where: { ...activeSecret, createdAt: { lt: staleBefore } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true, agent: { select: { id: true, name: true } } },
      take: SAMPLE,
    }),
    db.clientSecret.count({ where: { ...activeSecret, createdAt: { lt: staleBefore } } }),
    db.killDrill.findFirst({ where: { finishedAt: { not: null } }, orderBy: { finishedAt: "desc" }, select: { id: true, status: true, timeToEffectMs: true, finishedAt: true } }),
    db.tool.findMany({
      where: { risk: "irreversible" },
      orderBy: { name: "asc" },
      select: { id: true, name: true, approvalPolicy: true, approvalQuorum: true, approvalTtlSeconds: true },
    }),
    db.auditEvent.count({ where: { action: "decision.make", createdAt: { gte: new Date(now.getTime() - POSTURE_LIMITS.decisionWindowDays * DAY) } } }),
    db.auditEvent.findFirst({ where: { action: "decision.make" }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    db.delegationRule.count(),
  ]);

  const shared = new Map<string, { id: string; name: string }[]>();
  for (const k of sharedKeyRows) shared.set(k.thumbprint, [...(shared.get(k.thumbprint) ?? []), k.agent]);

  return {
    now,
    agents: {
      active,
      withoutCredentials,
      withoutCredentialsCount,
      sharedKeys: [...shared].map(([thumbprint, agents]) => ({ thumbprint, agents })),
    },
    tokens: {
      maxTtl: maxTtl ? { seconds: maxTtl.tokenTtlSeconds, agent: { id: maxTtl.id, name: maxTtl.name } } : null,
      overLimit: overLimit.map((a) => ({ id: a.id, name: a.name, seconds: a.tokenTtlSeconds })),
      overLimitCount,
    },
    secrets: {
      active: activeSecrets,
      oldest: oldest ? { createdAt: oldest.createdAt, agent: oldest.agent } : null,
      stale: stale.map((s) => ({ ...s.agent, createdAt: s.createdAt })),
      staleCount,
    },
    lastDrill: lastDrill?.finishedAt ? { ...lastDrill, finishedAt: lastDrill.finishedAt } : null,
    irreversibleTools,
    decisions: { count: decisionCount, latestAt: latestDecision?.createdAt ?? null },
    delegation: { tokenExchange: SUPPORTED_GRANT_TYPES.includes(TOKEN_EXCHANGE), rules },
  };
}

export async function getPosture(db: Db, now = new Date()): Promise<PostureReport> {
  return evaluatePosture(await loadPostureFacts(db, now));
}
