// The version of everything a decision depends on: the tree, tools, roles and grants. The decision engine's snapshot
// cache reads it, the way lib/agents/credential-cache.ts reads the `credentials` counter.
//
// Invariant: a change commits in the database first, with `authzChanged(tx)` in its transaction, and the process that
// made it then calls `invalidateLocalAuthz()`: it sees its own change at once. Other instances see it when they next
// read the shared counter (the snapshot cache reads it at most every few hundred milliseconds) and find it moved.
import type { Prisma } from "@/generated/sqlite/client";
import { type Db, inTransaction } from "@/lib/db/client";

export const AUTHZ_COUNTER = "authz";

type LocalState = { epoch: number; listeners: Set<() => void> };

// on globalThis, so that Next's dev reloads and separate bundles share one state (like the credential cache)
const g = globalThis as unknown as { __deputyAuthzLocal?: LocalState };
const local: LocalState = (g.__deputyAuthzLocal ??= { epoch: 0, listeners: new Set() });

/** How many versions of change records are kept: an instance further behind than this reloads everything. */
const KEEP_CHANGES = 1_000;

/** A grant a change wrote, as the change log names it: whose list it sits in, and its id. */
export type GrantRef = { id: string; principalType: string; principalId: string };

/**
 * What a change wrote, when it can say: instances then patch exactly these in (re-reading them) instead of reloading
 * everything. Grants created or revoked; nodes created, renamed, moved or deleted (a move changes one node's parent,
 * whatever the size of its subtree); tools created or deleted, or updated without a new name.
 */
export type AuthzChanges = { grants?: readonly GrantRef[]; nodes?: readonly string[]; tools?: readonly string[] };

/** What a change tells changeAuthz about itself; a change that says nothing makes every instance reload. */
export type AuthzChangeNote = {
  grants(refs: readonly GrantRef[]): void;
  nodes(ids: readonly string[]): void;
  tools(ids: readonly string[]): void;
};

/**
 * Call in the transaction of any change to the tree, tools, roles or grants; returns the version it moved to. Without
 * `changes` the change is recorded as kind "all": every instance reloads.
 */
export async function authzChanged(tx: Db, changes?: AuthzChanges): Promise<number> {
  const version = await bumpCounter(tx);
  await recordChange(tx, version, changes);
  return version;
}

async function bumpCounter(tx: Db): Promise<number> {
  const row = await tx.counter.upsert({ where: { name: AUTHZ_COUNTER }, create: { name: AUTHZ_COUNTER, value: 1 }, update: { value: { increment: 1 } } });
  return row.value;
}

export function changeEntries(changes: AuthzChanges): string[] {
  return [
    ...(changes.grants ?? []).map((g) => `grant:${g.principalType}:${g.principalId}|${g.id}`),
    ...(changes.nodes ?? []).map((id) => `node:${id}`),
    ...(changes.tools ?? []).map((id) => `tool:${id}`),
  ];
}

async function recordChange(tx: Db, version: number, changes: AuthzChanges | undefined): Promise<void> {
  const data = { kind: changes ? "patch" : "all", entries: JSON.stringify(changes ? changeEntries(changes) : []) };
  await tx.authzChange.upsert({ where: { version }, create: { version, ...data }, update: data });
  if (version % 100 === 0) await tx.authzChange.deleteMany({ where: { version: { lt: version - KEEP_CHANGES } } });
}

/** Call after such a change has committed: this process's caches forget at once. */
export function invalidateLocalAuthz(): void {
  local.epoch++;
  for (const listener of local.listeners) listener();
}

/** Bumped by every invalidateLocalAuthz() in this process: a cache built under an older epoch is stale. */
export function localAuthzEpoch(): number {
  return local.epoch;
}

/** Registers what a cache drops on invalidateLocalAuthz(); returns the unregistration. */
export function onLocalAuthzInvalidated(listener: () => void): () => void {
  local.listeners.add(listener);
  return () => local.listeners.delete(listener);
}

/** The shared counter's value (0 before the first change). */
export async function readAuthzVersion(db: Db): Promise<number> {
  const row = await db.counter.findUnique({ where: { name: AUTHZ_COUNTER } });
  return row?.value ?? 0;
}

/**
 * Runs a change to authorization data: the counter moves in its transaction, and this process forgets after commit.
 *
 * Unlike changeCredentials, the counter is bumped first, before the change: its row lock (PostgreSQL) or the write
 * lock it takes (SQLite) is then held until commit, so authorization changes run one at a time. That is what makes
 * the checks they make before writing hold at commit: a move's cycle check (two crossing moves could otherwise both
 * pass and make a cycle), the uniqueness of root names (NULL parents escape the unique index), "no grants remain"
 * before a delete, and the membership of built-in roles. These changes are rare admin actions; serialising them costs
 * nothing that matters.
 */
export async function changeAuthz<T>(db: Db, fn: (tx: Prisma.TransactionClient, note: AuthzChangeNote) => Promise<T>): Promise<T> {
  const result = await inTransaction(db, async (tx) => {
    // the counter moves first (see above); what changed is recorded once the change has said so
    const version = await bumpCounter(tx);
    const said = { grants: [] as GrantRef[], nodes: [] as string[], tools: [] as string[] };
    let spoke = false;
    const out = await fn(tx, {
      grants: (refs) => ((spoke = true), said.grants.push(...refs)),
      nodes: (ids) => ((spoke = true), said.nodes.push(...ids)),
      tools: (ids) => ((spoke = true), said.tools.push(...ids)),
    });
    await recordChange(tx, version, spoke ? said : undefined);
    return out;
  });
  invalidateLocalAuthz();
  return result;
}
