// Builds the decision core's snapshot from the database: the whole tree, the tools, the roles' tool sets, every
// grant not revoked, and the names reasons use. A role's tool set is built once and shared by all its grants.
import type { Db } from "@/lib/db/client";
import { parseNodePath } from "@/lib/resources/paths";
import { parseConstraints } from "./constraints";
import { parseSchedule } from "./schedule";
import { type AuthzSnapshot, principalKey, type PrincipalType, type Risk, type SnapshotGrant, type SnapshotNode } from "./types";

export type LoadedAuthz = {
  snapshot: AuthzSnapshot;
  /** children of each node (and of the roots, under ""), by name, for resolving paths in memory */
  children: Map<string, Map<string, SnapshotNode[]>>;
  /** user ids by email (lower case), for audiences given as emails */
  userIdsByEmail: Map<string, string>;
};

export async function loadSnapshot(db: Db): Promise<LoadedAuthz> {
  const [nodes, tools, roleTools, roles, grants, users, agents] = await Promise.all([
    db.resourceNode.findMany({ select: { id: true, parentId: true, type: true, name: true } }),
    db.tool.findMany({ select: { id: true, name: true, risk: true } }),
    db.roleTool.findMany({ select: { roleId: true, toolId: true } }),
    db.role.findMany({ select: { id: true, name: true } }),
    db.grant.findMany({ where: { revokedAt: null } }),
    db.user.findMany({ select: { id: true, email: true } }),
    db.agent.findMany({ select: { id: true, name: true } }),
  ]);

  const nodeMap = new Map<string, SnapshotNode>();
  const children = new Map<string, Map<string, SnapshotNode[]>>();
  for (const n of nodes) {
    nodeMap.set(n.id, n);
    const siblings = children.get(n.parentId ?? "") ?? new Map<string, SnapshotNode[]>();
    siblings.set(n.name, [...(siblings.get(n.name) ?? []), n]);
    children.set(n.parentId ?? "", siblings);
  }
  const toolById = new Map(tools.map((t) => [t.id, t]));
  const roleName = new Map(roles.map((r) => [r.id, r.name]));
  const roleToolNames = new Map<string, Set<string>>();
  for (const rt of roleTools) {
    const name = toolById.get(rt.toolId)?.name;
    if (!name) continue;
    const set = roleToolNames.get(rt.roleId) ?? new Set<string>();
    set.add(name);
    roleToolNames.set(rt.roleId, set);
  }

  const grantsByPrincipal = new Map<string, SnapshotGrant[]>();
  for (const g of grants) {
    const tool = g.toolId ? toolById.get(g.toolId) : undefined;
    const snapshotGrant: SnapshotGrant = {
      id: g.id,
      principal: { type: g.principalType as PrincipalType, id: g.principalId },
      nodeId: g.nodeId,
      via: g.roleId ? `role ${roleName.get(g.roleId) ?? g.roleId}` : `tool ${tool?.name ?? g.toolId}`,
      tools: g.roleId ? (roleToolNames.get(g.roleId) ?? new Set()) : new Set(tool ? [tool.name] : []),
      constraints: parseConstraints(JSON.parse(g.constraints)),
      notBefore: g.notBefore?.getTime() ?? null,
      expiresAt: g.expiresAt?.getTime() ?? null,
      schedule: g.schedule ? parseSchedule(JSON.parse(g.schedule)) : null,
      requiresApproval: g.requiresApproval,
    };
    const key = principalKey(snapshotGrant.principal);
    const list = grantsByPrincipal.get(key) ?? [];
    list.push(snapshotGrant);
    grantsByPrincipal.set(key, list);
  }

  const labels = new Map<string, string>();
  for (const u of users) labels.set(principalKey({ type: "user", id: u.id }), u.email);
  for (const a of agents) labels.set(principalKey({ type: "agent", id: a.id }), a.name);

  return {
    snapshot: {
      nodes: nodeMap,
      tools: new Map(tools.map((t) => [t.name, { id: t.id, name: t.name, risk: t.risk as Risk }])),
      grantsByPrincipal,
      labels,
    },
    children,
    userIdsByEmail: new Map(users.map((u) => [u.email.toLowerCase(), u.id])),
  };
}

/** A node id or a tree path (`acme/platform/branch:main`) resolved in memory; null when there is no such node. */
export function resolveInSnapshot(loaded: LoadedAuthz, ref: string): string | null {
  if (loaded.snapshot.nodes.has(ref)) return ref;
  let segments: ReturnType<typeof parseNodePath>;
  try {
    segments = parseNodePath(ref);
  } catch {
    return null;
  }
  let parent = "";
  for (const s of segments) {
    const candidates = (loaded.children.get(parent)?.get(s.name) ?? []).filter((n) => !s.type || n.type === s.type);
    if (candidates.length !== 1) return null;
    parent = candidates[0]!.id;
  }
  return parent || null;
}
