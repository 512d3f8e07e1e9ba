// Alerts newest first, keyset-paged on (createdAt, id); filters by agent, rule and acknowledged. Each page is one
// range scan on an index (agentId, createdAt) or (acknowledgedAt, createdAt), plus one lookup of the agents' names.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor } from "@/lib/db/time-cursor";
import { ALERT_RULES, type AlertRule } from "./rules";

export const listAlertsQuery = z.strictObject({
  agent: z.string().min(1).max(100).optional(),
  rule: z.enum(ALERT_RULES).optional(),
  acknowledged: z.enum(["true", "false"]).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAlertsQuery = z.input<typeof listAlertsQuery>;

export type AlertView = {
  id: string;
  agent: { id: string; name: string | null };
  rule: AlertRule;
  message: string;
  /** the decision's audit event */
  eventId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: { id: string; label: string | null } | null;
};

export type AlertPage = { alerts: AlertView[]; nextCursor: string | null; openCount: number };

type AlertRow = { id: string; agentId: string; rule: string; message: string; eventId: string | null; details: string; createdAt: Date; acknowledgedAt: Date | null; acknowledgedById: string | null };

/** Views of alert rows, with agent names and who acknowledged (users by email, API keys by name). */
export async function toAlertViews(db: Db, rows: AlertRow[]): Promise<AlertView[]> {
  const agentIds = [...new Set(rows.map((r) => r.agentId))];
  const ackIds = [...new Set(rows.map((r) => r.acknowledgedById).filter((x): x is string => x !== null))];
  const [agents, users, keys] = await Promise.all([
    agentIds.length ? db.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } }) : [],
    ackIds.length ? db.user.findMany({ where: { id: { in: ackIds } }, select: { id: true, email: true } }) : [],
    ackIds.length ? db.apiKey.findMany({ where: { id: { in: ackIds } }, select: { id: true, name: true } }) : [],
  ]);
  const names = new Map(agents.map((a) => [a.id, a.name]));
  const ackLabels = new Map<string, string>([...users.map((u) => [u.id, u.email] as const), ...keys.map((k) => [k.id, `API key ${k.name}`] as const)]);
  return rows.map((r) => ({
    id: r.id,
    agent: { id: r.agentId, name: names.get(r.agentId) ?? null },
    rule: r.rule as AlertRule,
    message: r.message,
    eventId: r.eventId,
    details: JSON.parse(r.details) as Record<string, unknown>,
    createdAt: r.createdAt.toISOString(),
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: r.acknowledgedById ? { id: r.acknowledgedById, label: ackLabels.get(r.acknowledgedById) ?? null } : null,
  }));
}

export async function listAlerts(db: Db, input: ListAlertsQuery): Promise<AlertPage> {
  const q = listAlertsQuery.parse(input);
  const after = q.cursor ? decodeTimeCursor(q.cursor, "alert") : null;
  const [rows, openCount] = await Promise.all([
    db.alert.findMany({
      where: {
        ...(q.agent ? { agentId: q.agent } : {}),
        ...(q.rule ? { rule: q.rule } : {}),
        ...(q.acknowledged === "true" ? { acknowledgedAt: { not: null } } : q.acknowledged === "false" ? { acknowledgedAt: null } : {}),
        ...(after ? afterTimeCursor(after) : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit + 1,
    }),
    db.alert.count({ where: { acknowledgedAt: null, ...(q.agent ? { agentId: q.agent } : {}) } }),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { alerts: await toAlertViews(db, page), nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last) : null, openCount };
}
