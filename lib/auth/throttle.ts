// Slows down password guessing, per account and per address, in the database so every instance shares it.
// After a threshold of failures within the window, each further failure doubles a wait (from 30 s, capped at
// 15 minutes). Nothing locks an account forever: the wait runs out, and the window forgets old failures.
import type { Db } from "@/lib/db/client";

export const THROTTLE_POLICY = {
  windowMs: 15 * 60_000,
  accountThreshold: 5,
  addressThreshold: 20,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
};

export type ThrottleKeys = { account: string; address: string | null };

export function throttleKeys(email: string, address: string | null): string[] {
  return [`email:${email.trim().toLowerCase()}`, ...(address ? [`ip:${address}`] : [])];
}

/** Seconds to wait before another attempt may be made, or 0. */
export async function retryAfterSeconds(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys } } });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(db: Db, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) {
    const threshold = key.startsWith("email:") ? THROTTLE_POLICY.accountThreshold : THROTTLE_POLICY.addressThreshold;
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

/** A successful sign-in clears the account's counter (the address keeps its own). */
export async function clearAccount(db: Db, email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: `email:${email.trim().toLowerCase()}` } });
}
