import { activeSecretWhere } from "@/lib/agents/agent-view";
import { ROTATION_POLICY_DAYS, ROTATION_WARNING_DAYS } from "@/lib/agents/limits";
import { type Db, databaseProvider } from "@/lib/db/client";
import { sqliteTime } from "@/lib/db/sqlite-time";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The dashboard lists at most this many agents for each reason (open alerts, rotation due, killed). */
export const ATTENTION_LIMIT = 5;

export type AttentionReason = "killed" | "open_alerts" | "rotation_due";
export type AgentAttention = { id: string; name: string; status: string; reasons: AttentionReason[]; openAlerts: number };
/** One hour of decisions; `hour` is its start (ISO). The 24 buckets end with the current, partial hour. */
export type DecisionHour = { hour: string; allow: number; deny: number; approval_required: number };

/** Counts for the dashboard, in one round trip each, all indexed. */
export async function getOverview(db: Db, now = new Date()) {
  const dayAgo = new Date(now.getTime() - DAY);
  const [activeUsers, admins, activeApiKeys, failedSignIns24h, events24h, byStatus, pendingApprovals, openAlerts, attention, decisionsByHour] = await Promise.all([
    db.user.count({ where: { disabledAt: null } }),
    db.user.count({ where: { disabledAt: null, role: "admin" } }),
    db.apiKey.count({ where: { revokedAt: null } }),
    db.auditEvent.count({ where: { action: "auth.sign_in", result: "failure", createdAt: { gte: dayAgo } } }),
    db.auditEvent.count({ where: { createdAt: { gte: dayAgo } } }),
    db.agent.groupBy({ by: ["status"], _count: { _all: true } }),
    // an expired request is no longer pending, whether or not the sweep has marked it yet
    db.approvalRequest.count({ where: { status: "pending", expiresAt: { gt: now } } }),
    db.alert.count({ where: { acknowledgedAt: null } }),
    agentsNeedingAttention(db, now),
    decisionsPerHour(db, now),
  ]);
  const agentsByStatus = { active: 0, suspended: 0, killed: 0 } as Record<string, number>;
  for (const g of byStatus) agentsByStatus[g.status] = g._count._all;
  return { activeUsers, admins, activeApiKeys, failedSignIns24h, events24h, agentsByStatus, pendingApprovals, openAlerts, attention, decisionsByHour };
}

export type Overview = Awaited<ReturnType<typeof getOverview>>;

/**
 * Agents with open alerts (most first), agents whose secret rotation is due (same rule as the agent's page:
 * an active secret older than the policy or expiring soon), and killed agents (most recent first). Each reason has
 * its own cap, so many alerted agents never hide a rotation that is due, and the cost does not grow with the agents.
 */
export async function agentsNeedingAttention(db: Db, now = new Date()): Promise<AgentAttention[]> {
  const [alerted, due, killed] = await Promise.all([
    db.alert.groupBy({
      by: ["agentId"],
      where: { acknowledgedAt: null },
      _count: { _all: true },
      orderBy: { _count: { agentId: "desc" } },
      take: ATTENTION_LIMIT,
    }),
    // grouped in the database (Prisma's distinct would filter in memory), most overdue first
    db.clientSecret.groupBy({
      by: ["agentId"],
      where: {
        ...activeSecretWhere(now),
        agent: { status: { not: "killed" } },
        OR: [{ createdAt: { lt: new Date(now.getTime() - ROTATION_POLICY_DAYS * DAY) } }, { expiresAt: { lt: new Date(now.getTime() + ROTATION_WARNING_DAYS * DAY) } }],
      },
      _min: { createdAt: true },
      orderBy: { _min: { createdAt: "asc" } },
      take: ATTENTION_LIMIT,
    }),
    // nulls last on both databases (PostgreSQL puts them first in descending order): the newest kills come first
    db.agent.findMany({ where: { status: "killed" }, orderBy: { killedAt: { sort: "desc", nulls: "last" } }, select: { id: true }, take: ATTENTION_LIMIT }),
  ]);
  const byAgent = new Map<string, { reasons: AttentionReason[]; openAlerts: number }>();
  const add = (id: string, reason: AttentionReason, openAlerts = 0) => {
    const e = byAgent.get(id) ?? { reasons: [], openAlerts: 0 };
    e.reasons.push(reason);
    e.openAlerts = Math.max(e.openAlerts, openAlerts);
    byAgent.set(id, e);
  };
  for (const a of alerted) add(a.agentId, "open_alerts", a._count._all);
  for (const s of due) add(s.agentId, "rotation_due");
  for (const k of killed) add(k.id, "killed");
  if (byAgent.size === 0) return [];
  const agents = await db.agent.findMany({ where: { id: { in: [...byAgent.keys()] } }, select: { id: true, name: true, status: true } });
  const found = new Map(agents.map((a) => [a.id, a]));
  // alerts first, then rotation, then killed: what someone can still act on comes first
  return [...byAgent]
    .filter(([id]) => found.has(id)) // an alert may outlive its (deleted) agent
    .map(([id, e]) => ({ id, name: found.get(id)!.name, status: found.get(id)!.status, ...e }));
}

/**
 * Decisions per hour for the last 24 hours by outcome, from the decision.make audit events: one grouped query that
 * range-scans the (action, createdAt) index. SQLite stores times as ISO text (Prisma's format), so the hour is the
 * first 13 characters; PostgreSQL truncates the timestamp.
 */
export async function decisionsPerHour(db: Db, now = new Date()): Promise<DecisionHour[]> {
  const firstHour = Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR;
  const since = new Date(firstHour);
  type Row = { bucket: string | Date; result: string; n: number | bigint };
  const rows =
    databaseProvider() === "postgresql"
      ? await db.$queryRaw<Row[]>`SELECT date_trunc('hour', "createdAt") AS bucket, "result", COUNT(*) AS n FROM "AuditEvent"
          WHERE "action" = 'decision.make' AND "createdAt" >= ${since} GROUP BY 1, 2`
      : await db.$queryRaw<Row[]>`SELECT substr("createdAt", 1, 13) AS bucket, "result", COUNT(*) AS n FROM "AuditEvent"
          WHERE "action" = 'decision.make' AND "createdAt" >= ${sqliteTime(since)} GROUP BY 1, 2`;
  const hours: DecisionHour[] = Array.from({ length: 24 }, (_, i) => ({ hour: new Date(firstHour + i * HOUR).toISOString(), allow: 0, deny: 0, approval_required: 0 }));
  for (const r of rows) {
    const start = r.bucket instanceof Date ? r.bucket.getTime() : Date.parse(`${String(r.bucket).replace(" ", "T")}:00:00Z`);
    const h = hours[Math.round((start - firstHour) / HOUR)];
    if (h && (r.result === "allow" || r.result === "deny" || r.result === "approval_required")) h[r.result] += Number(r.n);
  }
  return hours;
}
