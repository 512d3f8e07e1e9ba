// What leaves the server about grants, with their status at a given moment. Labels (agent names, user emails,
// node paths, role and tool names) for any number of grants come from a handful of queries, never one per grant.
// These reads may run inside a transaction (one connection): they are awaited one after another, never in parallel.
import type { Grant } from "@/generated/sqlite/client";
import type { ParamConstraint, PrincipalRef, PrincipalType, Schedule } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";
import { namesOf } from "@/lib/resources/node-view";
import { ancestorIdsOf, joinPath } from "@/lib/resources/paths";
import type { GrantStatus } from "./schemas";

export type GrantView = {
  id: string;
  principal: PrincipalRef & { label: string };
  role: { id: string; name: string } | null;
  tool: { id: string; name: string } | null;
  node: { id: string; type: string; name: string; path: string };
  constraints: Record<string, ParamConstraint>;
  notBefore: string | null;
  expiresAt: string | null;
  schedule: Schedule | null;
  requiresApproval: boolean;
  reason: string | null;
  grantedBy: { id: string; label: string } | null;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: { id: string; label: string } | null;
  /**
   * at the moment asked: revoked, expired (expiresAt has passed; it is exclusive), scheduled (notBefore is still
   * ahead; it is inclusive) or active. The recurring window is not part of the status: an active grant with a
   * schedule applies only inside its window, which the decision engine checks at each call.
   */
  status: GrantStatus;
};

type GrantStatusFields = Pick<Grant, "revokedAt" | "notBefore" | "expiresAt">;

export function grantStatus(g: GrantStatusFields, now: Date): GrantStatus {
  if (g.revokedAt) return "revoked";
  if (g.expiresAt && g.expiresAt.getTime() <= now.getTime()) return "expired";
  if (g.notBefore && g.notBefore.getTime() > now.getTime()) return "scheduled";
  return "active";
}

/** The where clause of each status at `now`, the same rules as grantStatus. */
export function grantStatusWhere(status: GrantStatus, now: Date) {
  switch (status) {
    case "revoked":
      return { revokedAt: { not: null } };
    case "expired":
      return { revokedAt: null, expiresAt: { lte: now } };
    case "scheduled":
      return { revokedAt: null, notBefore: { gt: now }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    case "active":
      return {
        revokedAt: null,
        AND: [{ OR: [{ notBefore: null }, { notBefore: { lte: now } }] }, { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }],
      };
  }
}

export const principalKeyOf = (type: string, id: string) => `${type}:${id}`;

/** Human labels of principals: agent names and user emails, by "type:id". Unknown ones are labelled by id. */
export async function principalLabels(db: Db, refs: { type: string; id: string }[]): Promise<Map<string, string>> {
  const agentIds = [...new Set(refs.filter((r) => r.type === "agent").map((r) => r.id))];
  const userIds = [...new Set(refs.filter((r) => r.type === "user").map((r) => r.id))];
  const agents = agentIds.length ? await db.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } }) : [];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const out = new Map<string, string>();
  for (const a of agents) out.set(principalKeyOf("agent", a.id), a.name);
  for (const u of users) out.set(principalKeyOf("user", u.id), u.email);
  return out;
}

export type GrantRow = Grant & {
  role: { id: string; name: string } | null;
  tool: { id: string; name: string } | null;
  node: { id: string; type: string; name: string; idPath: string };
};

/**
 * The role, tool and node of each grant, one query per kind. Not Prisma's `include`: it loads several relations in
 * parallel, which a transaction's single connection cannot do (pg warns, and its next major version refuses).
 */
export async function withRelations(db: Db, grants: Grant[]): Promise<GrantRow[]> {
  const ids = (pick: (g: Grant) => string | null) => [...new Set(grants.map(pick).filter((id): id is string => id !== null))];
  const roleIds = ids((g) => g.roleId);
  const toolIds = ids((g) => g.toolId);
  const roles = roleIds.length ? await db.role.findMany({ where: { id: { in: roleIds } }, select: { id: true, name: true } }) : [];
  const tools = toolIds.length ? await db.tool.findMany({ where: { id: { in: toolIds } }, select: { id: true, name: true } }) : [];
  const nodeIds = ids((g) => g.nodeId);
  const nodes = nodeIds.length ? await db.resourceNode.findMany({ where: { id: { in: nodeIds } }, select: { id: true, type: true, name: true, idPath: true } }) : [];
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const [r, t, n] = [byId(roles), byId(tools), byId(nodes)];
  return grants.map((g) => ({
    ...g,
    role: g.roleId ? (r.get(g.roleId) ?? null) : null,
    tool: g.toolId ? (t.get(g.toolId) ?? null) : null,
    node: n.get(g.nodeId)!,
  }));
}

export async function toGrantViews(db: Db, rows: GrantRow[], now: Date): Promise<GrantView[]> {
  const people = [
    ...rows.map((g) => ({ type: g.principalType, id: g.principalId })),
    ...rows.flatMap((g) => [g.grantedById, g.revokedById].filter((id): id is string => !!id).map((id) => ({ type: "user", id }))),
  ];
  const labels = await principalLabels(db, people);
  const names = await namesOf(db, rows.flatMap((g) => ancestorIdsOf(g.node.idPath)));
  const userRef = (id: string | null) => (id ? { id, label: labels.get(principalKeyOf("user", id)) ?? id } : null);
  return rows.map((g) => ({
    id: g.id,
    principal: { type: g.principalType as PrincipalType, id: g.principalId, label: labels.get(principalKeyOf(g.principalType, g.principalId)) ?? g.principalId },
    role: g.role,
    tool: g.tool,
    node: {
      id: g.node.id,
      type: g.node.type,
      name: g.node.name,
      path: joinPath([...ancestorIdsOf(g.node.idPath).map((id) => names.get(id)?.name ?? "?"), g.node.name]),
    },
    constraints: JSON.parse(g.constraints) as Record<string, ParamConstraint>,
    notBefore: g.notBefore?.toISOString() ?? null,
    expiresAt: g.expiresAt?.toISOString() ?? null,
    schedule: g.schedule ? (JSON.parse(g.schedule) as Schedule) : null,
    requiresApproval: g.requiresApproval,
    reason: g.reason,
    grantedBy: userRef(g.grantedById),
    createdAt: g.createdAt.toISOString(),
    revokedAt: g.revokedAt?.toISOString() ?? null,
    revokedBy: userRef(g.revokedById),
    status: grantStatus(g, now),
  }));
}
