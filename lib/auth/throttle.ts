// Slows down guessing of passwords and client credentials, per account/client and per address, in the database so
// every instance shares it. After a threshold of failures within the window, each further failure doubles a wait
// (from 30 s, capped at 15 minutes). Nothing locks anyone out forever: the wait runs out, and the window forgets.
import type { Db } from "@/lib/db/client";

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

/** Console sign-in: 5 failures per account, 20 per address. */
export function signInThrottleKeys(email: string, address: string | null): ThrottleKey[] {
  return [
    { key: `email:${email.trim().toLowerCase()}`, threshold: THROTTLE_POLICY.accountThreshold },
    ...(address ? [{ key: `ip:${address}`, threshold: THROTTLE_POLICY.addressThreshold }] : []),
  ];
}

/** OAuth client authentication: 10 failures per client_id, 50 per address. */
export function clientAuthThrottleKeys(clientId: string | null, address: string | null): ThrottleKey[] {
  return [
    ...(clientId ? [{ key: `client:${clientId.slice(0, 100)}`, threshold: THROTTLE_POLICY.clientThreshold }] : []),
    ...(address ? [{ key: `oauth-ip:${address}`, threshold: THROTTLE_POLICY.clientAddressThreshold }] : []),
  ];
}

/** Seconds to wait before another attempt may be made, or 0. */
export async function retryAfterSeconds(db: Db, keys: ThrottleKey[], now = new Date()): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(db: Db, keys: ThrottleKey[], now = new Date()): Promise<void> {
  for (const { key, threshold } of keys) {
    const row = await db.signInThrottle.findUnique({ where: { key } });
    const expired = !row || now.getTime() - row.windowStart.getTime() > THROTTLE_POLICY.windowMs;
    const failures = expired ? 1 : row.failures + 1;
    const over = failures - threshold;
    const blockedUntil =
      over >= 0 ? new Date(now.getTime() + Math.min(THROTTLE_POLICY.baseDelayMs * 2 ** over, THROTTLE_POLICY.maxDelayMs)) : null;
    await db.signInThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, blockedUntil },
      update: { failures, ...(expired ? { windowStart: now } : {}), blockedUntil },
    });
  }
}

/** A success clears the counter of the account or client (the address keeps its own). */
export async function clearThrottle(db: Db, key: ThrottleKey): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: key.key } });
}
