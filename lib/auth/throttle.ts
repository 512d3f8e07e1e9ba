// Slows down guessing of passwords and client credentials, per account/client and per address, in the database so
// every instance shares it. After a threshold of failures within the window, each further failure doubles a wait
// (from 30 s, capped at 15 minutes). Nothing locks anyone out forever: the wait runs out, and the window forgets.
//
// Passwords are guessable, so sign-in counts each attempt *before* checking it (beginAttempt) with an atomic
// increment: a burst of parallel guesses cannot all slip in before the first failure is recorded. Client secrets
// and assertions are 256-bit or signed, so client authentication only reads the state on its hot path and counts
// failures afterwards (recordFailure): no write per token request.
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";

export const THROTTLE_POLICY = {
  windowMs: 15 * 60_000,
  accountThreshold: 5,
  addressThreshold: 20,
  clientThreshold: 10,
  clientAddressThreshold: 50,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
};

/** A counter and the number of failures it allows within the window before waits begin. */
export type ThrottleKey = { key: string; threshold: number };

/** Console sign-in: per account and per address. The account key comes first. */
export function signInThrottleKeys(email: string, address: string | null): ThrottleKey[] {
  return [
    { key: `email:${email.trim().toLowerCase()}`, threshold: THROTTLE_POLICY.accountThreshold },
    ...(address ? [{ key: `ip:${address}`, threshold: THROTTLE_POLICY.addressThreshold }] : []),
  ];
}

/** OAuth client authentication: per client_id and per address. The client key comes first. */
export function clientAuthThrottleKeys(clientId: string | null, address: string | null): ThrottleKey[] {
  return [
    ...(clientId ? [{ key: `client:${clientId.slice(0, 100)}`, threshold: THROTTLE_POLICY.clientThreshold }] : []),
    ...(address ? [{ key: `oauth-ip:${address}`, threshold: THROTTLE_POLICY.clientAddressThreshold }] : []),
  ];
}

const delayMs = (failures: number, threshold: number) =>
  Math.min(THROTTLE_POLICY.baseDelayMs * 2 ** Math.max(0, failures - threshold), THROTTLE_POLICY.maxDelayMs);

const secondsUntil = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/** Seconds to wait before another attempt may be made, or 0. Reads only. */
export async function retryAfterSeconds(db: Db, keys: ThrottleKey[], now = new Date()): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? secondsUntil(new Date(until), now) : 0;
}

/** Adds one failure to a counter in atomic steps (a new or expired window starts at 1); returns the counter. */
async function increment(db: Db, key: string, now: Date): Promise<{ failures: number; blockedUntil: Date | null }> {
  const cutoff = new Date(now.getTime() - THROTTLE_POLICY.windowMs);
  const bump = () => db.signInThrottle.updateMany({ where: { key, windowStart: { gte: cutoff } }, data: { failures: { increment: 1 } } });
  if ((await bump()).count === 0) {
    // an expired window restarts; each racer's conditional update sees the first one's new windowStart and misses
    const restarted = await db.signInThrottle.updateMany({
      where: { key, windowStart: { lt: cutoff } },
      data: { failures: 1, windowStart: now, blockedUntil: null },
    });
    if (restarted.count === 0) {
      try {
        await db.signInThrottle.create({ data: { key, failures: 1, windowStart: now } });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        await bump(); // another attempt created it first: count on top of it
      }
    }
  }
  const row = await db.signInThrottle.findUniqueOrThrow({ where: { key } });
  return { failures: row.failures, blockedUntil: row.blockedUntil };
}

/**
 * Registers an attempt before its credentials are checked. Returns 0 when it may proceed, else the seconds to wait.
 * Past the threshold, one attempt is allowed each time a wait has run out; it claims the next wait up front, so
 * parallel attempts cannot share one opening.
 */
export async function beginAttempt(db: Db, keys: ThrottleKey[], now = new Date()): Promise<number> {
  const wait = await retryAfterSeconds(db, keys, now);
  if (wait > 0) return wait;
  for (const { key, threshold } of keys) {
    const { failures, blockedUntil } = await increment(db, key, now);
    if (failures <= threshold) continue;
    const next = new Date(now.getTime() + delayMs(failures, threshold));
    if (blockedUntil === null) {
      // over the limit without ever having waited (a burst): wait now
      await db.signInThrottle.update({ where: { key }, data: { blockedUntil: next } });
      return secondsUntil(next, now);
    }
    const claimed = await db.signInThrottle.updateMany({ where: { key, blockedUntil: { lte: now } }, data: { blockedUntil: next } });
    if (claimed.count === 0) return retryAfterSeconds(db, keys, now);
  }
  return 0;
}

/** The attempt begun with beginAttempt failed: from the threshold on, the counter's next wait starts now. */
export async function attemptFailed(db: Db, keys: ThrottleKey[], now = new Date()): Promise<void> {
  for (const { key, threshold } of keys) {
    const row = await db.signInThrottle.findUnique({ where: { key } });
    if (row && row.failures >= threshold) {
      await db.signInThrottle.update({ where: { key }, data: { blockedUntil: new Date(now.getTime() + delayMs(row.failures, threshold)) } });
    }
  }
}

/** The attempt succeeded: the account's counter is cleared; the address's gives back the attempt it counted. */
export async function attemptSucceeded(db: Db, keys: ThrottleKey[]): Promise<void> {
  const [account, ...others] = keys;
  if (account) await db.signInThrottle.deleteMany({ where: { key: account.key } });
  for (const { key } of others) {
    await db.signInThrottle.updateMany({ where: { key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
  }
}

/** Counts a failure after the fact (client authentication), atomically. */
export async function recordFailure(db: Db, keys: ThrottleKey[], now = new Date()): Promise<void> {
  for (const { key, threshold } of keys) {
    const { failures } = await increment(db, key, now);
    if (failures >= threshold) {
      await db.signInThrottle.update({ where: { key }, data: { blockedUntil: new Date(now.getTime() + delayMs(failures, threshold)) } });
    }
  }
}

/** A success clears the counter of the client (the address keeps its own). */
export async function clearThrottle(db: Db, key: ThrottleKey): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: key.key } });
}
