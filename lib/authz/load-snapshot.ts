// Builds the decision core's snapshot from the database: the whole tree, the tools, the roles' tool sets, every
// grant not revoked, and the names reasons use. A role's tool set is built once and shared by all its grants.
// applyPatch patches the grants, nodes and tools some changes wrote into a loaded snapshot.
import type { Db } from "@/lib/db/client";
import { parseNodePath } from "@/lib/resources/paths";
import { parseConstraints } from "./constraints";
import { parseSchedule } from "./schedule";
import { type GrantRow, type NodeRow, readAuthzRows } from "./read-authz-rows";
import {
  type AuthzSnapshot,
  type ParamConstraint,
  principalKey,
  type PrincipalRef,
  type PrincipalType,
  type Risk,
  type Schedule,
  type SnapshotGrant,
  type SnapshotNode,
  type SnapshotTool,
} from "./types";

export type LoadedAuthz = {
  snapshot: AuthzSnapshot;
  /** children of each node (and of the roots, under ""), by name, for resolving paths in memory */
  children: Map<string, Map<string, SnapshotNode[]>>;
  /** user ids by email (lower case), for audiences given as emails */
  userIdsByEmail: Map<string, string>;
  /** what building a grant needs, kept for patching (applyPatch) */
  catalog: Catalog;
};

type Catalog = {
  toolById: Map<string, { id: string; name: string }>;
  roleName: Map<string, string>;
  /** each role's tool names: one Set per role, shared by all its grants */
  roleTools: Map<string, Set<string>>;
  /** a single-tool grant's set, one per tool, shared likewise */
  toolSets: Map<string, ReadonlySet<string>>;
  /**
   * What grants repeat, one value each, shared: a grant's `via` text by role or tool id, and its principal by id
   * (the callers key grants by principalKey; keying by id saves building that text twice). With a million grants, a
   * copy each was ~1/4 of the heap, and every young-generation GC pass takes longer the larger the old generation
   * is (~1 ms per 250 MB, measured).
   */
  via: Map<string, string>;
  principals: Map<string, PrincipalRef>;
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

/** A role's shared tool set, made (and kept, so patches reach it) when the role has no tools yet. */
function roleSet(catalog: Catalog, roleId: string): Set<string> {
  let set = catalog.roleTools.get(roleId);
  if (!set) catalog.roleTools.set(roleId, (set = new Set()));
  return set;
}

function viaOf(catalog: Catalog, roleId: string | null, toolId: string | null): string {
  const key = roleId ? `r${roleId}` : `t${toolId}`;
  const known = catalog.via.get(key);
  if (known !== undefined) return known;
  const name = roleId ? catalog.roleName.get(roleId) : toolId ? catalog.toolById.get(toolId)?.name : undefined;
  // kept only once named: a grant may arrive in a patch just before its tool does in a later one
  if (name === undefined) return roleId ? `role ${roleId}` : `tool ${toolId}`;
  const via = `${roleId ? "role" : "tool"} ${name}`;
  catalog.via.set(key, via);
  return via;
}

function principalOf(catalog: Catalog, type: PrincipalType, id: string): PrincipalRef {
  const known = catalog.principals.get(id);
  if (known?.type === type) return known;
  const principal = { type, id };
  if (!known) catalog.principals.set(id, principal); // ids carry their type's prefix: a clash is only not shared
  return principal;
}

/** nodes: the snapshot's, whose id strings the grant shares (one copy per node, not per grant). */
function toSnapshotGrant(g: GrantRow, catalog: Catalog, nodes: ReadonlyMap<string, SnapshotNode>): SnapshotGrant {
  const [id, principalType, principalId, roleId, toolId, nodeId, constraints, notBefore, expiresAt, schedule, requiresApproval] = g;
  return {
    id,
    principal: principalOf(catalog, principalType as PrincipalType, principalId),
    nodeId: nodes.get(nodeId)?.id ?? nodeId,
    via: viaOf(catalog, roleId, toolId),
    tools: roleId ? roleSet(catalog, roleId) : (catalog.toolSets.get(toolId ?? "") ?? new Set()),
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
    via: new Map(),
    principals: new Map(),
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
    const grant = toSnapshotGrant(row, catalog, nodeMap);
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

/** What a catch-up re-read for the entries of some changes (see AuthzChange): the rows that still exist. */
export type Patch = {
  /** "principalType:principalId|grantId" of every grant the changes wrote */
  grantEntries: readonly string[];
  /** the current rows of those grants that are not revoked */
  liveGrants: readonly GrantRow[];
  nodeIds: readonly string[];
  nodeRows: readonly NodeRow[];
  toolIds: readonly string[];
  /** with the roles that hold each tool now (creating a tool or changing its risk moves it between built-in roles) */
  toolRows: readonly { id: string; name: string; risk: string; roleIds: readonly string[] }[];
  /** names of principals new to the snapshot */
  labels: ReadonlyMap<string, string>;
};

/** Whether a patch can be applied in place: a tool that changed its name is named in grants' reasons, so no. */
export function canPatch(loaded: LoadedAuthz, patch: Pick<Patch, "toolRows">): boolean {
  return patch.toolRows.every((t) => (loaded.catalog.toolById.get(t.id)?.name ?? t.name) === t.name);
}

/**
 * Applies a patch to a loaded snapshot in place: nodes and tools first (grants refer to them), then grants. Runs
 * without awaiting, so no decision sees it half done. Idempotent: anything patched twice ends as its row says.
 */
export function applyPatch(loaded: LoadedAuthz, patch: Patch): void {
  const nodes = loaded.snapshot.nodes as Map<string, SnapshotNode>;
  const liveNodes = new Map(patch.nodeRows.map((n) => [n[0], n]));
  for (const id of patch.nodeIds) {
    const old = nodes.get(id);
    if (old) {
      const siblings = loaded.children.get(old.parentId ?? "");
      const same = siblings?.get(old.name)?.filter((n) => n.id !== id);
      if (siblings && same?.length) siblings.set(old.name, same);
      else siblings?.delete(old.name);
      nodes.delete(id);
    }
    const row = liveNodes.get(id);
    if (!row) continue;
    const [, parentId, type, name] = row;
    const node: SnapshotNode = { id, parentId, type, name };
    nodes.set(id, node);
    let siblings = loaded.children.get(parentId ?? "");
    if (!siblings) loaded.children.set(parentId ?? "", (siblings = new Map()));
    siblings.set(name, [...(siblings.get(name) ?? []), node]);
  }

  const { catalog } = loaded;
  const tools = loaded.snapshot.tools as Map<string, SnapshotTool>;
  const liveTools = new Map(patch.toolRows.map((t) => [t.id, t]));
  for (const id of patch.toolIds) {
    const row = liveTools.get(id);
    const old = catalog.toolById.get(id);
    if (row) {
      tools.set(row.name, { id, name: row.name, risk: row.risk as Risk });
      catalog.toolById.set(id, { id, name: row.name });
      if (!catalog.toolSets.has(id)) catalog.toolSets.set(id, new Set([row.name]));
      // role sets are shared by every grant of the role: changed in place, they change for all of them at once
      const holders = new Set(row.roleIds);
      for (const roleId of holders) roleSet(catalog, roleId);
      for (const [roleId, set] of catalog.roleTools) {
        if (holders.has(roleId)) set.add(row.name);
        else set.delete(row.name);
      }
    } else if (old) {
      // deleted: its role memberships went with it (cascade), and so does it from every shared tool set
      tools.delete(old.name);
      catalog.toolById.delete(id);
      for (const set of catalog.roleTools.values()) set.delete(old.name);
      (catalog.toolSets.get(id) as Set<string> | undefined)?.clear();
      catalog.toolSets.delete(id);
    }
  }

  const byPrincipal = loaded.snapshot.grantsByPrincipal as Map<string, SnapshotGrant[]>;
  const touched = new Map<string, Set<string>>();
  for (const entry of patch.grantEntries) {
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
  for (const row of patch.liveGrants) {
    const grant = toSnapshotGrant(row, catalog, nodes);
    const key = principalKey(grant.principal);
    byPrincipal.set(key, [...(byPrincipal.get(key) ?? []), grant]);
  }
  for (const [key, label] of patch.labels) (loaded.snapshot.labels as Map<string, string>).set(key, label);
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
