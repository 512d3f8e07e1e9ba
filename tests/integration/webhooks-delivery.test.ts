// The webhook sender against a real HTTP receiver on 127.0.0.1 (so internal addresses are allowed here, as with
// DEPUTY_WEBHOOK_ALLOW_PRIVATE=true): signatures, retries with backoff, giving up, claims under concurrency, the URL
// policy at send time, redirects, timeouts. Time is driven by passing `now` to the sender, never slept.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { parseEnv } from "@/lib/env";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import {
  CLAIM_MS,
  claimDueDeliveries,
  MAX_ATTEMPTS,
  RETRY_DELAYS_SECONDS,
  retryDelayMs,
  sendDueWebhooks,
} from "@/lib/webhooks/deliver";
import { enqueueWebhookEvent } from "@/lib/webhooks/enqueue";
import { redeliverWebhookDelivery } from "@/lib/webhooks/redeliver-webhook-delivery";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { signWebhookPayload, verifyWebhookSignature } from "@/lib/webhooks/signature";
import { updateWebhook } from "@/lib/webhooks/update-webhook";
import { defaultUrlPolicy } from "@/lib/webhooks/url-policy";
import { testActor, uniqueTag } from "../helpers/factories";
import { type Receiver, startReceiver } from "./webhooks-receiver";

const ALLOW = { allowPrivate: true };
const DENY = { allowPrivate: false };
const SECOND = 1000;

const receivers: Receiver[] = [];
const hooks: string[] = [];

async function receiver(answers?: (number | "hang")[], headers?: Record<string, string>) {
  const r = await startReceiver(answers, headers);
  receivers.push(r);
  return r;
}

async function hookFor(r: Receiver, events: string[] = ["*"]) {
  const made = await createWebhook(getDb(), { name: `hook ${uniqueTag()}`, url: r.url, events }, testActor, ALLOW);
  hooks.push(made.webhook.id);
  return made;
}

const delivery = (id: string) => getDb().webhookDelivery.findUniqueOrThrow({ where: { id } });

/** Runs the sender for one webhook's queue at `now`, as the worker would, with internal addresses allowed. */
const send = (webhookId: string, now: Date, extra: Parameters<typeof sendDueWebhooks>[1] = {}) =>
  sendDueWebhooks(getDb(), { now, webhookId, policy: ALLOW, random: () => 0.5, ...extra });

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  // leave no enabled webhook behind: other test files queue events for every webhook there is
  for (const id of hooks) await deleteWebhook(getDb(), id, testActor).catch(() => undefined);
});

describe("the environment flag", () => {
  it("DEPUTY_WEBHOOK_ALLOW_PRIVATE is off unless set, and read like the other flags", () => {
    expect(parseEnv({}).DEPUTY_WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(parseEnv({ DEPUTY_WEBHOOK_ALLOW_PRIVATE: "true" }).DEPUTY_WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(parseEnv({ DEPUTY_WEBHOOK_ALLOW_PRIVATE: "1" }).DEPUTY_WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(() => parseEnv({ DEPUTY_WEBHOOK_ALLOW_PRIVATE: "maybe" })).toThrow(/DEPUTY_WEBHOOK_ALLOW_PRIVATE/);
    // the test run does not set it: the default policy is the production one
    expect(defaultUrlPolicy()).toEqual(DENY);
  });
});

describe("signed deliveries", () => {
  it("POSTs the stored body with headers whose signature verifies under the secret, and only under it", async () => {
    const r = await receiver([200]);
    const { webhook, secret } = await hookFor(r);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, now);

    expect(await send(webhook.id, now)).toEqual({ claimed: 1, delivered: 1, retrying: 0, failed: 0 });
    expect(r.received).toHaveLength(1);
    const [req] = r.received;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe("/hook");
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["deputy-webhook-id"]).toBe(queued.id);
    expect(req!.headers["deputy-webhook-timestamp"]).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(req!.headers["deputy-webhook-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(req!.body).toBe(queued.payload);
    expect(JSON.parse(req!.body)).toEqual({
      id: queued.id,
      event: "webhook.test",
      created_at: now.toISOString(),
      data: { webhook_id: webhook.id, message: "A test event from Deputy" },
    });
    // the scheme, spelled out: hex HMAC-SHA-256 of "<timestamp>.<body>" keyed with the whole secret
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", secret).update(`${req!.headers["deputy-webhook-timestamp"]}.${req!.body}`).digest("hex");
    expect(req!.headers["deputy-webhook-signature"]).toBe(`v1=${expected}`);

    expect(verifyWebhookSignature(secret, req!.headers, req!.body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, new Headers(req!.headers as Record<string, string>), Buffer.from(req!.body), 300, now)).toBe(true);
    // tampered body, other secret, stale or future timestamp, missing or malformed headers: refused
    expect(verifyWebhookSignature(secret, req!.headers, req!.body.replace("test", "tesT"), 300, now)).toBe(false);
    expect(verifyWebhookSignature(`${secret.slice(0, -1)}x`, req!.headers, req!.body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, req!.headers, req!.body, 300, new Date(now.getTime() + 301 * SECOND))).toBe(false);
    expect(verifyWebhookSignature(secret, req!.headers, req!.body, 300, new Date(now.getTime() - 301 * SECOND))).toBe(false);
    expect(verifyWebhookSignature(secret, req!.headers, req!.body, 300, new Date(now.getTime() + 299 * SECOND))).toBe(true);
    expect(verifyWebhookSignature(secret, { ...req!.headers, "deputy-webhook-signature": undefined }, req!.body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...req!.headers, "deputy-webhook-signature": "v0=abc" }, req!.body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...req!.headers, "deputy-webhook-timestamp": "yesterday" }, req!.body, 300, now)).toBe(false);
    // a replay with a fresh timestamp but the old signature fails
    const later = String(Number(req!.headers["deputy-webhook-timestamp"]) + 60);
    expect(verifyWebhookSignature(secret, { ...req!.headers, "deputy-webhook-timestamp": later }, req!.body, 300, now)).toBe(false);
    // several v1 values (a receiver mid-rotation): any one matching is enough
    const ts = Number(req!.headers["deputy-webhook-timestamp"]);
    const both = `v1=${signWebhookPayload("whsec_other", ts, req!.body)} ${req!.headers["deputy-webhook-signature"]}`;
    expect(verifyWebhookSignature(secret, { ...req!.headers, "deputy-webhook-signature": both }, req!.body, 300, now)).toBe(true);

    const row = await delivery(queued.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200, lastError: null, lockedUntil: null, deliveredAt: now });
  });

  it("signs with the new secret after a rotation, retries of older events included", async () => {
    const r = await receiver([500, 200]);
    const { webhook, secret: oldSecret } = await hookFor(r);
    const t0 = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, t0);
    await send(webhook.id, t0);
    const { secret: newSecret, webhook: rotated } = await rotateWebhookSecret(getDb(), webhook.id, testActor);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.secretLast4).toBe(newSecret.slice(-4));
    const t1 = new Date(t0.getTime() + 10 * SECOND);
    await send(webhook.id, t1);
    expect(r.received).toHaveLength(2);
    expect(verifyWebhookSignature(oldSecret, r.received[0]!.headers, r.received[0]!.body, 300, t0)).toBe(true);
    expect(verifyWebhookSignature(newSecret, r.received[1]!.headers, r.received[1]!.body, 300, t1)).toBe(true);
    expect(verifyWebhookSignature(oldSecret, r.received[1]!.headers, r.received[1]!.body, 300, t1)).toBe(false);
    expect((await delivery(queued.id)).status).toBe("delivered");
  });

  it("sends events queued with enqueueWebhookEvent to the webhooks that subscribe to them, and to no other", async () => {
    const r = await receiver([200]);
    const { webhook: decided } = await hookFor(r, ["approval.decided"]);
    const { webhook: all } = await hookFor(r, ["*"]);
    const now = new Date();
    const requestedIds = await enqueueWebhookEvent(getDb(), "approval.requested", { approval_id: "apr_x" }, now);
    const decidedIds = await enqueueWebhookEvent(getDb(), "approval.decided", { approval_id: "apr_x", outcome: "approved" }, now);
    const mine = async (ids: string[]) =>
      (await getDb().webhookDelivery.findMany({ where: { id: { in: ids }, webhookId: { in: [decided.id, all.id] } } })).map((d) => d.webhookId).sort();
    expect(await mine(requestedIds)).toEqual([all.id]);
    expect(await mine(decidedIds)).toEqual([decided.id, all.id].sort());

    await send(decided.id, now);
    expect(r.received).toHaveLength(1);
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ event: "approval.decided", data: { approval_id: "apr_x", outcome: "approved" } });
  });
});

describe("retries", () => {
  it("retries a 500 after the backoff, then records the 200 as delivered", async () => {
    const r = await receiver([500, 200]);
    const { webhook, secret } = await hookFor(r);
    const t0 = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, t0);

    expect(await send(webhook.id, t0)).toEqual({ claimed: 1, delivered: 0, retrying: 1, failed: 0 });
    let row = await delivery(queued.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500, lastError: "HTTP 500", lockedUntil: null, deliveredAt: null });
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 10 * SECOND);

    // not due a second early
    expect((await send(webhook.id, new Date(t0.getTime() + 9 * SECOND))).claimed).toBe(0);
    expect(r.received).toHaveLength(1);

    const t1 = new Date(t0.getTime() + 10 * SECOND);
    expect(await send(webhook.id, t1)).toEqual({ claimed: 1, delivered: 1, retrying: 0, failed: 0 });
    row = await delivery(queued.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 200, lastError: null, deliveredAt: t1 });
    // the same event, the same bytes, the same id: the receiver can dedupe; each attempt is signed at its own time
    expect(r.received.map((q) => q.body)).toEqual([queued.payload, queued.payload]);
    expect(r.received.map((q) => q.headers["deputy-webhook-id"])).toEqual([queued.id, queued.id]);
    expect(verifyWebhookSignature(secret, r.received[1]!.headers, r.received[1]!.body, 300, t1)).toBe(true);
    // delivered is final: nothing more is sent
    expect((await send(webhook.id, new Date(t0.getTime() + 86_400 * SECOND))).claimed).toBe(0);
  });

  it("waits 10 s, 30 s, 2 min, 10 min, 1 h between attempts, then fails after the sixth", async () => {
    const r = await receiver([503]);
    const { webhook } = await hookFor(r);
    const t0 = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, t0);

    let now = t0;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await send(webhook.id, now);
      expect(result.claimed).toBe(1);
      const row = await delivery(queued.id);
      expect(row.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe("pending");
        waits.push((row.nextAttemptAt.getTime() - now.getTime()) / SECOND);
        // one millisecond early, nothing is sent
        expect((await send(webhook.id, new Date(row.nextAttemptAt.getTime() - 1))).claimed).toBe(0);
        now = row.nextAttemptAt;
      } else {
        expect(result).toEqual({ claimed: 1, delivered: 0, retrying: 0, failed: 1 });
      }
    }
    expect(waits).toEqual([10, 30, 120, 600, 3600]);
    expect(MAX_ATTEMPTS).toBe(6);
    expect(r.received).toHaveLength(6);
    const row = await delivery(queued.id);
    expect(row).toMatchObject({ status: "failed", attempts: 6, lastStatus: 503, lastError: "HTTP 503", deliveredAt: null, lockedUntil: null });
    // failed is final, however late
    expect((await send(webhook.id, new Date(now.getTime() + 7 * 86_400 * SECOND))).claimed).toBe(0);
    expect(r.received).toHaveLength(6);
  });

  it("spreads each wait by up to 20% either way (jitter)", () => {
    RETRY_DELAYS_SECONDS.forEach((base, i) => {
      expect(retryDelayMs(i + 1, () => 0)).toBe(base * 800);
      expect(retryDelayMs(i + 1, () => 0.5)).toBe(base * 1000);
      expect(retryDelayMs(i + 1, () => 0.999999)).toBeCloseTo(base * 1200, -1);
    });
    const samples = Array.from({ length: 200 }, () => retryDelayMs(1));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(12000);
    expect(new Set(samples).size).toBeGreaterThan(1);
  });

  it("does not follow a redirect: a 3xx is a failed attempt and the Location is never requested", async () => {
    const target = await receiver([200]);
    const r = await receiver([302], { location: target.url });
    const { webhook } = await hookFor(r);
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, now);
    await send(webhook.id, now);
    expect(r.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    expect(await delivery(queued.id)).toMatchObject({ status: "pending", attempts: 1, lastStatus: 302, lastError: "HTTP 302: redirects are not followed" });
  });

  it("gives up on a receiver that does not answer within the timeout, and records why", async () => {
    const r = await receiver(["hang"]);
    const { webhook } = await hookFor(r);
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, now);
    const started = Date.now();
    await send(webhook.id, now, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.received).toHaveLength(1);
    expect(await delivery(queued.id)).toMatchObject({ status: "pending", attempts: 1, lastStatus: null, lastError: "timed out after 0.3 s" });
  });

  it("records a refused connection as a failed attempt", async () => {
    const r = await receiver([200]);
    const { webhook } = await hookFor(r);
    await r.close(); // nothing listens there any more
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, now);
    await send(webhook.id, now);
    expect(await delivery(queued.id)).toMatchObject({ status: "pending", attempts: 1, lastStatus: null, lastError: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe("a secret that cannot be unsealed", () => {
  it("fails that webhook's attempt visibly instead of throwing out of the sender", async () => {
    const r = await receiver([200]);
    const { webhook: broken } = await hookFor(r);
    const { webhook: fine } = await hookFor(r);
    // sealed for another record: as if copied between rows, or sealed under another master key
    const other = await getDb().webhook.findUniqueOrThrow({ where: { id: fine.id } });
    await getDb().webhook.update({ where: { id: broken.id }, data: { secretEnc: other.secretEnc } });
    const now = new Date();
    const a = await sendTestWebhook(getDb(), broken.id, testActor, now);
    const b = await sendTestWebhook(getDb(), fine.id, testActor, now);
    const [ra, rb] = await Promise.all([send(broken.id, now), send(fine.id, now)]);
    expect(ra).toEqual({ claimed: 1, delivered: 0, retrying: 1, failed: 0 });
    expect(rb.delivered).toBe(1);
    expect((await delivery(a.id)).lastError).toBe("cannot unseal the signing secret (was the master key changed?); rotate the secret");
    expect(r.received.map((q) => q.headers["deputy-webhook-id"])).toEqual([b.id]);
  });
});

describe("the URL policy at send time", () => {
  it("refuses to send to a loopback address when internal addresses are not allowed, though it was allowed at creation", async () => {
    const r = await receiver([200]);
    const { webhook } = await hookFor(r);
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, now);
    // the production policy: nothing reaches the receiver
    expect(await sendDueWebhooks(getDb(), { now, webhookId: webhook.id, policy: DENY })).toEqual({ claimed: 1, delivered: 0, retrying: 1, failed: 0 });
    expect(r.received).toHaveLength(0);
    const row = await delivery(queued.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatus: null });
    expect(row.lastError).toBe("refused: points at an internal address; webhooks must target a public host");
    // the default policy of the worker is the same (the flag is unset in this run)
    const later = new Date(row.nextAttemptAt.getTime());
    await sendDueWebhooks(getDb(), { now: later, webhookId: webhook.id });
    expect(r.received).toHaveLength(0);
    expect((await delivery(queued.id)).attempts).toBe(2);
  });
});

describe("claims", () => {
  it("two concurrent senders deliver each delivery exactly once", async () => {
    const r = await receiver([200]);
    const { webhook } = await hookFor(r);
    const now = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await sendTestWebhook(getDb(), webhook.id, testActor, new Date(now.getTime() - i))).id);

    const [a, b] = await Promise.all([send(webhook.id, now, { limit: 8 }), send(webhook.id, now, { limit: 8 })]);
    expect(a.claimed + b.claimed).toBe(8);
    expect(a.delivered + b.delivered).toBe(8);
    const seen = r.received.map((q) => q.headers["deputy-webhook-id"]).sort();
    expect(seen).toEqual([...ids].sort());
    const rows = await getDb().webhookDelivery.findMany({ where: { id: { in: ids } } });
    expect(rows.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("many racing claimers never claim one delivery twice, and a held claim blocks others until it expires", async () => {
    const r = await receiver([200]);
    const { webhook } = await hookFor(r);
    const now = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await sendTestWebhook(getDb(), webhook.id, testActor, now)).id);

    const claims = await Promise.all(Array.from({ length: 5 }, () => claimDueDeliveries(getDb(), now, 6, webhook.id)));
    const all = claims.flat();
    expect(all.sort()).toEqual([...ids].sort());
    expect(new Set(all).size).toBe(all.length);

    // held: nobody else gets them until the claim expires, when a sender may take them over
    expect(await claimDueDeliveries(getDb(), new Date(now.getTime() + CLAIM_MS - 1), 6, webhook.id)).toEqual([]);
    const after = new Date(now.getTime() + CLAIM_MS);
    expect((await send(webhook.id, after, { limit: 6 })).delivered).toBe(6);
    expect(r.received).toHaveLength(6);
  });

  it("a sender whose claim expired mid-send records nothing: the sender that took it over wins", async () => {
    const r = await receiver(["hang", 200]);
    const { webhook } = await hookFor(r);
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, now);
    // instance A claims and sends, and its receiver hangs
    const slow = send(webhook.id, now, { timeoutMs: 1_500 });
    await expect.poll(() => r.received.length, { timeout: 3_000 }).toBe(1);
    // A's claim has expired by instance B's clock: B takes the delivery over and delivers it
    const takeover = new Date(now.getTime() + CLAIM_MS);
    expect(await send(webhook.id, takeover)).toEqual({ claimed: 1, delivered: 1, retrying: 0, failed: 0 });
    // A's timeout comes late; its outcome is not written over B's
    expect(await slow).toEqual({ claimed: 1, delivered: 0, retrying: 0, failed: 0 });
    expect(await delivery(queued.id)).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200, deliveredAt: takeover });
  });

  it("holds back a disabled webhook's queue and sends it once enabled again", async () => {
    const r = await receiver([200]);
    const { webhook } = await hookFor(r);
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, now);
    await updateWebhook(getDb(), webhook.id, { enabled: false }, testActor, ALLOW);
    expect((await send(webhook.id, now)).claimed).toBe(0);
    await updateWebhook(getDb(), webhook.id, { enabled: true }, testActor, ALLOW);
    expect((await send(webhook.id, now)).delivered).toBe(1);
    expect(r.received.map((q) => q.headers["deputy-webhook-id"])).toEqual([queued.id]);
  });
});

describe("redelivery", () => {
  it("queues a delivered or failed delivery again with the same body and id; a pending one is 409", async () => {
    const r = await receiver([200]);
    const { webhook } = await hookFor(r);
    const t0 = new Date();
    const queued = await sendTestWebhook(getDb(), webhook.id, testActor, t0);
    await send(webhook.id, t0);
    const t1 = new Date(t0.getTime() + 60 * SECOND);
    const again = await redeliverWebhookDelivery(getDb(), webhook.id, queued.id, testActor, t1);
    expect(again).toMatchObject({ id: queued.id, status: "pending", attempts: 0, lastStatus: null, lastError: null, deliveredAt: null, nextAttemptAt: t1.toISOString() });
    await expect(redeliverWebhookDelivery(getDb(), webhook.id, queued.id, testActor, t1)).rejects.toMatchObject({ code: "conflict", message: "This delivery is already queued" });
    await send(webhook.id, t1);
    expect(r.received.map((q) => [q.headers["deputy-webhook-id"], q.body])).toEqual([
      [queued.id, queued.payload],
      [queued.id, queued.payload],
    ]);
    expect(await delivery(queued.id)).toMatchObject({ status: "delivered", attempts: 1, deliveredAt: t1 });
    const events = await getDb().auditEvent.findMany({ where: { action: "webhook.redeliver", targetId: webhook.id } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([{ deliveryId: queued.id, event: "webhook.test" }]);
  });

  it("answers 404 for a delivery of another webhook", async () => {
    const r = await receiver([200]);
    const { webhook: a } = await hookFor(r);
    const { webhook: b } = await hookFor(r);
    const now = new Date();
    const queued = await sendTestWebhook(getDb(), a.id, testActor, now);
    await send(a.id, now);
    await expect(redeliverWebhookDelivery(getDb(), b.id, queued.id, testActor)).rejects.toMatchObject({ code: "not_found", message: "Delivery not found" });
  });
});
