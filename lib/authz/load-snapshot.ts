// Builds the decision core's snapshot from the database: the whole tree, the tools, the roles' tool sets, every
// grant not revoked, and the names reasons use. A role's tool set is built once and shared by all its grants.
// applyGrantChanges patches grants into a loaded snapshot, for the changes that wrote only grants.
import type { Db } from "@/lib/db/client";
import { parseNodePath } from "@/lib/resources/paths";
import { parseConstraints } from "./constraints";
import { parseSchedule } from "./schedule";
import { type GrantRow, readAuthzRows } from "./read-authz-rows";
import { type AuthzSnapshot, type ParamConstraint, principalKey, type PrincipalType, type Risk, type Schedule, type SnapshotGrant, type SnapshotNode } from "./types";

export type LoadedAuthz = {
  snapshot: AuthzSnapshot;
  /** children of each node (and of the roots, under ""), by name, for resolving paths in memory */
  children: Map<string, Map<string, SnapshotNode[]>>;
  /** user ids by email (lower case), for audiences given as emails */
  userIdsByEmail: Map<string, string>;
  /** what building a grant needs, kept for patching grants in (applyGrantChanges) */
  catalog: Catalog;
};

type Catalog = {
  toolById: Map<string, { id: string; name: string }>;
  roleName: Map<string, string>;
  /** each role's tool names: one Set per role, shared by all its grants */
  roleTools: Map<string, Set<string>>;
  /** a single-tool grant's set, one per tool, shared likewise */
  toolSets: Map<string, ReadonlySet<string>>;
};

// Most grants have no constraints and most schedules repeat: parse each distinct text once. Bounded, since the texts
// come from the database.
const EMPTY_CONSTRAINTS: Record<string, ParamConstraint> = Object.freeze({}) as Record<string, ParamConstraint>;
const parsedConstraints = new Map<string, Record<string, ParamConstraint>>();
const parsedSchedules = new Map<string, Schedule>();

function memo<T>(cache: Map<string, T>, text: string, parse: (text: string) => T): T {
  let value = cache.get(text);
  if (value === undefined) {
    value = parse(text);
    if (cache.size < 10_000) cache.set(text, value);
  }
  return value;
}

function toSnapshotGrant(g: GrantRow, catalog: Catalog): SnapshotGrant {
  const [id, principalType, principalId, roleId, toolId, nodeId, constraints, notBefore, expiresAt, schedule, requiresApproval] = g;
  const tool = toolId ? catalog.toolById.get(toolId) : undefined;
  return {
    id,
    principal: { type: principalType as PrincipalType, id: principalId },
    nodeId,
    via: roleId ? `role ${catalog.roleName.get(roleId) ?? roleId}` : `tool ${tool?.name ?? toolId}`,
    tools: roleId ? (catalog.roleTools.get(roleId) ?? new Set()) : (catalog.toolSets.get(toolId ?? "") ?? new Set()),
    constraints: constraints === "{}" ? EMPTY_CONSTRAINTS : memo(parsedConstraints, constraints, (t) => parseConstraints(JSON.parse(t))),
    notBefore,
    expiresAt,
    schedule: schedule ? memo(parsedSchedules, schedule, (t) => parseSchedule(JSON.parse(t))) : null,
    requiresApproval,
  };
}

export async function loadSnapshot(db: Db): Promise<LoadedAuthz> {
  const [{ nodes, grants }, tools, roleTools, roles, users, agents] = await Promise.all([
    readAuthzRows(),
    db.tool.findMany({ select: { id: true, name: true, risk: true } }),
    db.roleTool.findMany({ select: { roleId: true, toolId: true } }),
    db.role.findMany({ select: { id: true, name: true } }),
    db.user.findMany({ select: { id: true, email: true } }),
    db.agent.findMany({ select: { id: true, name: true } }),
  ]);

  const nodeMap = new Map<string, SnapshotNode>();
  const children = new Map<string, Map<string, SnapshotNode[]>>();
  for (const [id, parentId, type, name] of nodes) {
    const n: SnapshotNode = { id, parentId, type, name };
    nodeMap.set(id, n);
    let siblings = children.get(parentId ?? "");
    if (!siblings) children.set(parentId ?? "", (siblings = new Map()));
    const same = siblings.get(name);
    if (same) same.push(n);
    else siblings.set(name, [n]);
  }
  const catalog: Catalog = {
    toolById: new Map(tools.map((t) => [t.id, t])),
    roleName: new Map(roles.map((r) => [r.id, r.name])),
    roleTools: new Map(),
    toolSets: new Map(tools.map((t) => [t.id, new Set([t.name])])),
  };
  for (const rt of roleTools) {
    const name = catalog.toolById.get(rt.toolId)?.name;
    if (!name) continue;
    const set = catalog.roleTools.get(rt.roleId) ?? new Set<string>();
    set.add(name);
    catalog.roleTools.set(rt.roleId, set);
  }

  const grantsByPrincipal = new Map<string, SnapshotGrant[]>();
  for (const row of grants) {
    const grant = toSnapshotGrant(row, catalog);
    const key = principalKey(grant.principal);
    const list = grantsByPrincipal.get(key);
    if (list) list.push(grant);
    else grantsByPrincipal.set(key, [grant]);
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
    catalog,
  };
}

/**
 * Patches grants into a loaded snapshot in place: `entries` ("principalKey|grantId") are the grants some changes
 * wrote, `live` the current rows of those that are not revoked, `labels` names of principals new to the snapshot.
 * Runs without awaiting, so no decision sees it half done. Idempotent: a grant patched twice ends as its row says.
 */
export function applyGrantChanges(loaded: LoadedAuthz, entries: readonly string[], live: readonly GrantRow[], labels: ReadonlyMap<string, string>): void {
  const byPrincipal = loaded.snapshot.grantsByPrincipal as Map<string, SnapshotGrant[]>;
  const touched = new Map<string, Set<string>>();
  for (const entry of entries) {
    const bar = entry.lastIndexOf("|");
    const key = entry.slice(0, bar);
    const ids = touched.get(key) ?? new Set<string>();
    ids.add(entry.slice(bar + 1));
    touched.set(key, ids);
  }
  for (const [key, ids] of touched) {
    const list = byPrincipal.get(key);
    if (list) byPrincipal.set(key, list.filter((g) => !ids.has(g.id)));
  }
  for (const row of live) {
    const grant = toSnapshotGrant(row, loaded.catalog);
    const key = principalKey(grant.principal);
    byPrincipal.set(key, [...(byPrincipal.get(key) ?? []), grant]);
  }
  for (const [key, label] of labels) (loaded.snapshot.labels as Map<string, string>).set(key, label);
}

/**
 * User ids for references given as ids or emails (null: no such user). Users are not authorization data, so one
 * added since the snapshot loaded is looked up and remembered (its label) rather than reloading the snapshot.
 */
export async function resolveUsers(db: Db, loaded: LoadedAuthz, refs: readonly string[]): Promise<(string | null)[]> {
  const known = (ref: string) => (loaded.snapshot.labels.has(`user:${ref}`) ? ref : (loaded.userIdsByEmail.get(ref.toLowerCase()) ?? null));
  const missing = refs.filter((r) => known(r) === null);
  if (missing.length > 0) {
    const rows = await db.user.findMany({ where: { OR: [{ id: { in: missing } }, { email: { in: missing.map((m) => m.toLowerCase()) } }] }, select: { id: true, email: true } });
    for (const u of rows) {
      (loaded.snapshot.labels as Map<string, string>).set(`user:${u.id}`, u.email);
      loaded.userIdsByEmail.set(u.email.toLowerCase(), u.id);
    }
  }
  return refs.map(known);
}

/** Whether the agent exists, remembering its name for reasons when it arrived after the snapshot loaded. */
export async function resolveAgent(db: Db, loaded: LoadedAuthz, id: string): Promise<boolean> {
  if (loaded.snapshot.labels.has(`agent:${id}`)) return true;
  const row = await db.agent.findUnique({ where: { id }, select: { name: true } });
  if (row) (loaded.snapshot.labels as Map<string, string>).set(`agent:${id}`, row.name);
  return row !== null;
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
