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
    delegation,
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
    delegationFacts(db, now, SUPPORTED_GRANT_TYPES.includes(TOKEN_EXCHANGE)),
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
    delegation,
  };
}

/** How many of the newest token exchanges are compared with their parent token (one indexed query each). */
const EXCHANGES_CHECKED = 20;

/**
 * Delegation from the audit trail: each token.exchange event names its subject token (subjectJti) and its scope; the
 * parent's issuance (token.issue or an earlier token.exchange, at most an hour before since no token lives longer)
 * names its own. A child scope with a tool its parent lacked is a widening.
 */
async function delegationFacts(db: Db, now: Date, tokenExchange: boolean) {
  const since = new Date(now.getTime() - POSTURE_LIMITS.decisionWindowDays * DAY);
  const where = { action: "token.exchange", createdAt: { gte: since } };
  const [rules, exchanges, newest] = await Promise.all([
    db.delegationRule.count(),
    tokenExchange ? db.auditEvent.count({ where }) : Promise.resolve(0),
    tokenExchange ? db.auditEvent.findMany({ where, orderBy: { createdAt: "desc" }, take: EXCHANGES_CHECKED, select: { id: true, createdAt: true, details: true } }) : Promise.resolve([]),
  ]);
  const scopeOf = (details: string) => {
    const d = JSON.parse(details) as { scope?: unknown; subjectJti?: unknown };
    return { scope: typeof d.scope === "string" ? d.scope.split(" ").filter(Boolean) : [], subjectJti: typeof d.subjectJti === "string" ? d.subjectJti : null };
  };
  let checked = 0;
  let unmatched = 0;
  const widened: { eventId: string; extra: string[] }[] = [];
  for (const e of newest) {
    const child = scopeOf(e.details);
    const parent = child.subjectJti
      ? await db.auditEvent.findFirst({
          where: {
            action: { in: ["token.issue", "token.exchange"] },
            createdAt: { gte: new Date(e.createdAt.getTime() - POSTURE_LIMITS.maxTokenTtlSeconds * 1000 - 60_000), lte: e.createdAt },
            details: { contains: `"jti":${JSON.stringify(child.subjectJti)}` },
          },
          select: { details: true },
        })
      : null;
    if (!parent) {
      unmatched++;
      continue;
    }
    checked++;
    const held = new Set(scopeOf(parent.details).scope);
    const extra = child.scope.filter((t) => !held.has(t));
    if (extra.length) widened.push({ eventId: e.id, extra });
  }
  return { tokenExchange, rules, exchanges, checked, unmatched, widened };
}

export async function getPosture(db: Db, now = new Date()): Promise<PostureReport> {
  return evaluatePosture(await loadPostureFacts(db, now));
}
