// What leaves the server about a freeze: where it applies, why, who, and how many agents it holds suspended now.
import type { Freeze } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { pathsOf } from "@/lib/resources/node-view";

export type FreezeView = {
  id: string;
  /** null: every agent */
  nodeId: string | null;
  /** the subtree's path, or null for every agent (or when the node was deleted since) */
  nodePath: string | null;
  reason: string | null;
  createdById: string | null;
  createdByLabel: string | null;
  createdAt: string;
  liftedAt: string | null;
  liftedById: string | null;
  active: boolean;
  /** agents this freeze holds suspended now */
  frozenAgents: number;
};

/** Views of freezes, with their paths, actor labels and frozen counts read in one query each. */
export async function toFreezeViews(db: Db, freezes: Freeze[]): Promise<FreezeView[]> {
  if (freezes.length === 0) return [];
  const nodeIds = [...new Set(freezes.map((f) => f.nodeId).filter((id): id is string => id !== null))];
  const userIds = [...new Set(freezes.map((f) => f.createdById).filter((id): id is string => id?.startsWith("usr_") === true))];
  const [nodes, users, counts] = await Promise.all([
    db.resourceNode.findMany({ where: { id: { in: nodeIds } }, select: { id: true, name: true, idPath: true } }),
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }),
    db.agent.groupBy({ by: ["frozenById"], where: { frozenById: { in: freezes.map((f) => f.id) }, status: "suspended" }, _count: { _all: true } }),
  ]);
  const paths = await pathsOf(db, nodes);
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const frozen = new Map(counts.map((c) => [c.frozenById, c._count._all]));
  return freezes.map((f) => ({
    id: f.id,
    nodeId: f.nodeId,
    nodePath: f.nodeId ? (paths.get(f.nodeId) ?? null) : null,
    reason: f.reason,
    createdById: f.createdById,
    createdByLabel: f.createdById ? (emails.get(f.createdById) ?? f.createdById) : null,
    createdAt: f.createdAt.toISOString(),
    liftedAt: f.liftedAt?.toISOString() ?? null,
    liftedById: f.liftedById,
    active: f.liftedAt === null,
    frozenAgents: frozen.get(f.id) ?? 0,
  }));
}
