import type { Db } from "@/lib/db/client";

export type DelegationRuleView = {
  from: { id: string; name: string | null };
  to: { id: string; name: string | null };
  createdById: string | null;
  createdAt: string;
};

type Row = { fromAgentId: string; toAgentId: string; createdById: string | null; createdAt: Date };

/** Rules with both agents' names (null for an agent that no longer exists: the table has no foreign keys). */
export async function toDelegationRuleViews(db: Db, rows: Row[]): Promise<DelegationRuleView[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.fromAgentId, r.toAgentId]))];
  const agents = ids.length ? await db.agent.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(agents.map((a) => [a.id, a.name]));
  return rows.map((r) => ({
    from: { id: r.fromAgentId, name: names.get(r.fromAgentId) ?? null },
    to: { id: r.toAgentId, name: names.get(r.toAgentId) ?? null },
    createdById: r.createdById,
    createdAt: r.createdAt.toISOString(),
  }));
}
