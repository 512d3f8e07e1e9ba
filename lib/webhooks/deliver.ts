// The sender: claims due deliveries, signs them, POSTs them, and records the outcome. It runs outside any
// transaction (a slow receiver must never hold a database lock) and is safe to run on several instances at once.
//
// Invariants:
// - A delivery is sent by one sender at a time: claiming is a compare-and-set on `lockedUntil`, and the outcome is
//   written only while the claim still holds (a sender whose claim expired writes nothing).
// - The target is checked against the URL policy at every attempt, and the connection goes only to the addresses
//   that check resolved (no second DNS lookup a rebinding attacker could answer differently). Redirects are never
//   followed: a 3xx is a failed attempt.
// - Nothing secret is recorded: lastError holds a status code or a transport error, bounded in length.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Db } from "@/lib/db/client";
import { unsealWebhookSecret } from "./secret";
import { webhookHeaders } from "./signature";
import { checkWebhookTarget, defaultUrlPolicy, parseWebhookUrl, type UrlPolicy } from "./url-policy";

/** Attempts in all, the first included; after the last failure a delivery is `failed`. */
export const MAX_ATTEMPTS = 6;
/** The wait after failed attempt n (1-based), before jitter: 10 s, 30 s, 2 min, 10 min, 1 h. */
export const RETRY_DELAYS_SECONDS = [10, 30, 120, 600, 3600] as const;
/** Each wait is scaled by a random factor in [1 - JITTER, 1 + JITTER], so retries from one outage spread out. */
export const RETRY_JITTER = 0.2;
export const SEND_TIMEOUT_MS = 5_000;
/** How long a claim holds: longer than a DNS lookup plus a send can take, so a live sender never loses it. */
export const CLAIM_MS = 60_000;
const MAX_ERROR_CHARS = 300;
export const DEFAULT_BATCH = 10;

/** The wait in milliseconds after `attempts` failed attempts; `random` in [0, 1). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_SECONDS[Math.min(attempts, RETRY_DELAYS_SECONDS.length) - 1]! * 1000;
  return Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}

export type SenderOptions = {
  /** the time of this run: what is due, the timestamp header, the next attempt (tests drive retries with it) */
  now?: Date;
  /** deliveries claimed per run */
  limit?: number;
  policy?: UrlPolicy;
  /** only this webhook's queue */
  webhookId?: string;
  random?: () => number;
  timeoutMs?: number;
};

export type SenderResult = { claimed: number; delivered: number; retrying: number; failed: number };

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** Sends every due delivery this run can claim (up to `limit`), in parallel; returns what happened. */
export async function sendDueWebhooks(db: Db, opts: SenderOptions = {}): Promise<SenderResult> {
  const now = opts.now ?? new Date();
  const policy = opts.policy ?? defaultUrlPolicy();
  const ids = await claimDueDeliveries(db, now, opts.limit ?? DEFAULT_BATCH, opts.webhookId);
  const result: SenderResult = { claimed: ids.length, delivered: 0, retrying: 0, failed: 0 };
  if (ids.length === 0) return result;
  const lockedUntil = new Date(now.getTime() + CLAIM_MS);
  const rows = await db.webhookDelivery.findMany({
    where: { id: { in: ids }, lockedUntil },
    include: { webhook: { select: { id: true, url: true, secretEnc: true } } },
  });
  await Promise.all(
    rows.map(async (row) => {
      const outcome = await attempt(row.webhook, row.id, row.payload, now, policy, opts.timeoutMs ?? SEND_TIMEOUT_MS);
      const attempts = row.attempts + 1;
      const status = outcome.ok ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
      const { count } = await db.webhookDelivery.updateMany({
        where: { id: row.id, lockedUntil },
        data: {
          status,
          attempts,
          lockedUntil: null,
          lastStatus: outcome.status,
          lastError: outcome.ok ? null : outcome.error.slice(0, MAX_ERROR_CHARS),
          ...(outcome.ok ? { deliveredAt: now } : {}),
          ...(status === "pending" ? { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, opts.random)) } : {}),
        },
      });
      if (count === 0) return; // the claim was lost (deleted webhook, or redelivered meanwhile): record nothing
      if (status === "delivered") result.delivered++;
      else if (status === "failed") result.failed++;
      else result.retrying++;
    }),
  );
  return result;
}

/**
 * Claims up to `limit` due deliveries of enabled webhooks. Each claim sets lockedUntil only if it still holds the
 * value this sender read (compare-and-set), so of two senders reading the same row, exactly one wins it.
 */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, webhookId?: string): Promise<string[]> {
  const due = await db.webhookDelivery.findMany({
    where: {
      status: "pending",
      nextAttemptAt: { lte: now },
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
      webhook: { enabled: true },
      ...(webhookId ? { webhookId } : {}),
    },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, lockedUntil: true },
  });
  const lockedUntil = new Date(now.getTime() + CLAIM_MS);
  const claimed: string[] = [];
  for (const d of due) {
    const { count } = await db.webhookDelivery.updateMany({
      where: { id: d.id, status: "pending", lockedUntil: d.lockedUntil },
      data: { lockedUntil },
    });
    if (count === 1) claimed.push(d.id);
  }
  return claimed;
}

async function attempt(
  hook: { id: string; url: string; secretEnc: string },
  deliveryId: string,
  payload: string,
  now: Date,
  policy: UrlPolicy,
  timeoutMs: number,
): Promise<Outcome> {
  let url: URL;
  let addresses: { address: string; family: number }[];
  try {
    url = parseWebhookUrl(hook.url);
    addresses = await checkWebhookTarget(url, policy);
  } catch (e) {
    return { ok: false, status: null, error: `refused: ${(e as Error).message.replace(/^url: /, "")}` };
  }
  let headers: Record<string, string>;
  try {
    headers = webhookHeaders(unsealWebhookSecret(hook.id, hook.secretEnc), deliveryId, payload, now);
  } catch {
    // a record sealed under another master key: the attempt fails, visibly, instead of the whole batch
    return { ok: false, status: null, error: "cannot unseal the signing secret (was the master key changed?); rotate the secret" };
  }
  try {
    const status = await post(url, addresses, headers, payload, timeoutMs);
    if (status >= 200 && status < 300) return { ok: true, status };
    if (status >= 300 && status < 400) return { ok: false, status, error: `HTTP ${status}: redirects are not followed` };
    return { ok: false, status, error: `HTTP ${status}` };
  } catch (e) {
    // a failed connection to several addresses is an AggregateError with an empty message and a code
    const err = e as NodeJS.ErrnoException;
    return { ok: false, status: null, error: err.message || err.code || "request failed" };
  }
}

/** A lookup that answers only with the addresses the policy already checked. */
function pinnedLookup(addresses: { address: string; family: number }[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (err: null, a: { address: string; family: number }[]) => void)(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/** POSTs the body and resolves with the status code; never follows redirects; gives up after `timeoutMs`. */
function post(url: URL, addresses: { address: string; family: number }[], headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(addresses),
      // a fresh connection each time: a pooled socket could point at an address checked for another URL
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
    timer.unref();
    req.on("response", (res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      // the body is not needed: read a little so the receiver can finish, then close
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > 65_536) res.destroy();
      });
      res.on("error", () => undefined);
      setTimeout(() => res.destroy(), timeoutMs).unref();
    });
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}
