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

/** Call in the transaction of any change to the tree, tools, roles or grants. */
export async function authzChanged(tx: Db): Promise<void> {
  await tx.counter.upsert({ where: { name: AUTHZ_COUNTER }, create: { name: AUTHZ_COUNTER, value: 1 }, update: { value: { increment: 1 } } });
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
export async function changeAuthz<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  const result = await inTransaction(db, async (tx) => {
    await authzChanged(tx);
    return fn(tx);
  });
  invalidateLocalAuthz();
  return result;
}
