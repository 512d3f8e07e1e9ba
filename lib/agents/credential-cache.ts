// What the token endpoint and introspection read on every request (client secrets, agents, revoked jtis), held in
// memory so the hot path makes no database round trip.
//
// Invariant: a change commits in the database first, with `credentialsChanged(tx)` in its transaction, and the
// process that made it then calls `invalidateLocalCredentials()`: it sees its own changes at once. Other instances
// see them within CHECK_INTERVAL_MS: each reads the shared counter at most that often and drops everything when it
// moved. Loads that began before a drop are discarded rather than stored, so a read of the old state that finishes
// after the drop can never outlive it.
import type { Agent, ClientSecret, Consent, ResourceServer, ResourceServerSecret } from "@/generated/sqlite/client";
import type { Prisma } from "@/generated/sqlite/client";
import { type Db, inTransaction } from "@/lib/db/client";

export const CHECK_INTERVAL_MS = 250;
const MAX_ENTRIES = 100_000;
const COUNTER = "credentials";

type Cache = {
  version: number;
  checkedAt: number;
  /** bumped on every drop: a load started in an older generation is not stored */
  generation: number;
  secrets: Map<string, ClientSecret>;
  agents: Map<string, Agent>;
  revoked: Map<string, boolean>;
  resourceServerSecrets: Map<string, ResourceServerSecret & { resourceServer: ResourceServer }>;
  consents: Map<string, Consent>;
};

const g = globalThis as unknown as { __deputyCredentialCache?: Cache };
const cache: Cache = (g.__deputyCredentialCache ??= {
  version: Number.NaN,
  checkedAt: 0,
  generation: 0,
  secrets: new Map(),
  agents: new Map(),
  revoked: new Map(),
  resourceServerSecrets: new Map(),
  consents: new Map(),
});
// a cache made by an older build of this module (dev hot reload)
cache.resourceServerSecrets ??= new Map();
cache.consents ??= new Map();

function drop(): void {
  cache.generation++;
  cache.secrets.clear();
  cache.agents.clear();
  cache.revoked.clear();
  cache.resourceServerSecrets.clear();
  cache.consents.clear();
}

/** Call in the transaction of any change to agents, their secrets or keys, resource servers or their secrets, consents, or token revocation. */
export async function credentialsChanged(tx: Db): Promise<void> {
  await tx.counter.upsert({ where: { name: COUNTER }, create: { name: COUNTER, value: 1 }, update: { value: { increment: 1 } } });
}

/** Call after such a change has committed: this process forgets at once and re-reads the counter next time. */
export function invalidateLocalCredentials(): void {
  drop();
  cache.checkedAt = 0;
}

/** Runs a change to cached credentials: the counter moves in its transaction, and this process forgets after commit. */
export async function changeCredentials<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  const result = await inTransaction(db, async (tx) => {
    const out = await fn(tx);
    await credentialsChanged(tx);
    return out;
  });
  invalidateLocalCredentials();
  return result;
}

async function fresh(db: Db, now: number): Promise<void> {
  if (now - cache.checkedAt < CHECK_INTERVAL_MS) return;
  cache.checkedAt = now;
  const row = await db.counter.findUnique({ where: { name: COUNTER } });
  const version = row?.value ?? 0;
  if (version !== cache.version) {
    drop();
    cache.version = version;
  }
}

async function cached<K, V>(db: Db, map: Map<K, V>, key: K, load: () => Promise<V | null>): Promise<V | null> {
  await fresh(db, Date.now());
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const generation = cache.generation;
  const value = await load();
  if (value !== null && generation === cache.generation) {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, value);
  }
  return value;
}

export function secretByHash(db: Db, hash: string): Promise<ClientSecret | null> {
  return cached(db, cache.secrets, hash, () => db.clientSecret.findUnique({ where: { hash } }));
}

export function agentById(db: Db, id: string): Promise<Agent | null> {
  return cached(db, cache.agents, id, () => db.agent.findUnique({ where: { id } }));
}

export async function isTokenRevoked(db: Db, jti: string): Promise<boolean> {
  const revoked = await cached(db, cache.revoked, jti, async () => (await db.revokedToken.findUnique({ where: { jti }, select: { jti: true } })) !== null);
  return revoked === true;
}

/** A resource server's secret with its server, by keyed hash: the decision endpoint authenticates every call. */
export function resourceServerSecretByHash(db: Db, hash: string): Promise<(ResourceServerSecret & { resourceServer: ResourceServer }) | null> {
  return cached(db, cache.resourceServerSecrets, hash, () => db.resourceServerSecret.findUnique({ where: { hash }, include: { resourceServer: true } }));
}

/** A person's consent to an agent, which delegated tokens name (cid): revoking it must go through changeCredentials. */
export function consentById(db: Db, id: string): Promise<Consent | null> {
  return cached(db, cache.consents, id, () => db.consent.findUnique({ where: { id } }));
}
