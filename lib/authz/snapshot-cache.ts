// The snapshot every decision reads, held in memory. Invariant: before use it reflects every authorization change
// this process made (invalidateLocalAuthz) and, within CHECK_INTERVAL_MS, every change made anywhere: each instance
// reads the shared `authz` counter at most that often and catches up when it moved.
//
// Catching up: changes that said what they wrote (grants created or revoked, nodes created, renamed, moved or
// deleted, tools created, updated or deleted: the frequent ones) are patched in from the change log (AuthzChange) by
// re-reading just those rows. Anything else (roles, a renamed tool), a gap in the log, or a long way behind reloads
// everything, which at a million grants takes seconds. One catch-up runs at a time;
// callers arriving meanwhile wait for it rather than starting their own.
import type { Db } from "@/lib/db/client";
import { localAuthzEpoch, readAuthzVersion } from "@/lib/grants/authz-version";
import { applyPatch, canPatch, type LoadedAuthz, loadSnapshot } from "./load-snapshot";
import type { GrantRow, NodeRow } from "./read-authz-rows";

export const CHECK_INTERVAL_MS = 250;
/** Further behind than this many versions, or more rows than this to re-read: reload everything instead. */
const MAX_PATCH_VERSIONS = 500;
const MAX_PATCH_ENTRIES = 20_000;

type State = {
  loaded: LoadedAuthz | null;
  version: number;
  localEpoch: number;
  checkedAt: number;
  building: Promise<LoadedAuthz> | null;
  /** full loads and patches so far, for tests and the benchmark */
  stats: { loads: number; patches: number };
};

const g = globalThis as unknown as { __deputyAuthzSnapshot?: State };
const state: State = (g.__deputyAuthzSnapshot ??= { loaded: null, version: -1, localEpoch: -1, checkedAt: 0, building: null, stats: { loads: 0, patches: 0 } });
state.stats ??= { loads: 0, patches: 0 };

/** How this process has kept its snapshot current: full loads and incremental patches. */
export function snapshotStats(): Readonly<State["stats"]> {
  return state.stats;
}

/** Patches the changes after `from` up to `to` into `loaded`; false when they cannot all be patched. */
async function patch(db: Db, loaded: LoadedAuthz, from: number, to: number): Promise<boolean> {
  if (to - from > MAX_PATCH_VERSIONS) return false;
  const changes = await db.authzChange.findMany({ where: { version: { gt: from, lte: to } }, orderBy: { version: "asc" } });
  // a pruned or missing record, or a change that did not say what it wrote
  if (changes.length !== to - from || changes.some((c) => c.kind !== "patch")) return false;
  const entries = changes.flatMap((c) => JSON.parse(c.entries) as string[]);
  if (entries.length > MAX_PATCH_ENTRIES) return false;
  const of = (prefix: string) => [...new Set(entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length)))];
  const grantEntries = of("grant:");
  const grantIds = [...new Set(grantEntries.map((e) => e.slice(e.lastIndexOf("|") + 1)))];
  const nodeIds = of("node:");
  const toolIds = of("tool:");

  const liveGrants: GrantRow[] = [];
  const nodeRows: NodeRow[] = [];
  for (let i = 0; i < grantIds.length; i += 500) {
    for (const r of await db.grant.findMany({ where: { id: { in: grantIds.slice(i, i + 500) }, revokedAt: null } })) {
      liveGrants.push([r.id, r.principalType, r.principalId, r.roleId, r.toolId, r.nodeId, r.constraints, r.notBefore?.getTime() ?? null, r.expiresAt?.getTime() ?? null, r.schedule, r.requiresApproval]);
    }
  }
  for (let i = 0; i < nodeIds.length; i += 500) {
    const rows = await db.resourceNode.findMany({ where: { id: { in: nodeIds.slice(i, i + 500) } }, select: { id: true, parentId: true, type: true, name: true } });
    for (const n of rows) nodeRows.push([n.id, n.parentId, n.type, n.name]);
  }
  const toolRows = (toolIds.length ? await db.tool.findMany({ where: { id: { in: toolIds } }, select: { id: true, name: true, risk: true, roles: { select: { roleId: true } } } }) : []).map(
    (t) => ({ id: t.id, name: t.name, risk: t.risk, roleIds: t.roles.map((r) => r.roleId) }),
  );
  if (!canPatch(loaded, { toolRows })) return false;

  // principals that got their first grant after the load: their names, for reasons
  const labels = new Map<string, string>();
  const unnamed = (type: string) => [...new Set(liveGrants.filter((r) => r[1] === type && !loaded.snapshot.labels.has(`${type}:${r[2]}`)).map((r) => r[2]))];
  for (const u of await db.user.findMany({ where: { id: { in: unnamed("user") } }, select: { id: true, email: true } })) {
    labels.set(`user:${u.id}`, u.email);
    loaded.userIdsByEmail.set(u.email.toLowerCase(), u.id);
  }
  for (const a of await db.agent.findMany({ where: { id: { in: unnamed("agent") } }, select: { id: true, name: true } })) labels.set(`agent:${a.id}`, a.name);
  applyPatch(loaded, { grantEntries, liveGrants, nodeIds, nodeRows, toolIds, toolRows, labels });
  return true;
}

function catchUp(db: Db, now: number): Promise<LoadedAuthz> {
  state.building ??= (async () => {
    try {
      // read the version first: a change committed during the load or patch moves it again, and the next check
      // catches up from here (patches are idempotent, so one seen early is harmless)
      const version = await readAuthzVersion(db);
      const epoch = localAuthzEpoch();
      let loaded = state.loaded;
      if (loaded && version === state.version) {
        // nothing moved (a local change that has not committed anything new, or a racing check)
      } else if (loaded && version > state.version && (await patch(db, loaded, state.version, version))) {
        state.stats.patches++;
      } else {
        loaded = await loadSnapshot(db);
        state.stats.loads++;
      }
      Object.assign(state, { loaded, version, localEpoch: epoch, checkedAt: now });
      return loaded;
    } finally {
      state.building = null;
    }
  })();
  return state.building;
}

export async function currentAuthz(db: Db, now = Date.now()): Promise<LoadedAuthz> {
  if (state.building) return state.building;
  if (state.loaded === null || state.localEpoch !== localAuthzEpoch()) return catchUp(db, now);
  if (now - state.checkedAt >= CHECK_INTERVAL_MS) {
    state.checkedAt = now;
    if ((await readAuthzVersion(db)) !== state.version) return catchUp(db, now);
  }
  return state.loaded;
}
