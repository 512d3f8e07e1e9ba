// Webhooks through the real /api/v1 route handlers: create (secret once), list, get, update, rotate, delete, test,
// delivery log, redeliver; input validation; the URL policy (with internal addresses refused, as in production:
// DEPUTY_WEBHOOK_ALLOW_PRIVATE is not set in this run); the secret never leaving in a list or reaching the audit trail.
import { afterAll, describe, expect, it } from "vitest";
import { POST as redeliverRoute } from "@/app/api/v1/webhooks/[webhookId]/deliveries/[deliveryId]/redeliver/route";
import { GET as deliveriesRoute } from "@/app/api/v1/webhooks/[webhookId]/deliveries/route";
import { POST as rotateRoute } from "@/app/api/v1/webhooks/[webhookId]/rotate-secret/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/v1/webhooks/[webhookId]/route";
import { POST as testRoute } from "@/app/api/v1/webhooks/[webhookId]/test/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/webhooks/route";
import { getDb } from "@/lib/db/client";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { sendDueWebhooks } from "@/lib/webhooks/deliver";
import { unsealWebhookSecret } from "@/lib/webhooks/secret";
import { isBlockedAddress, validateWebhookUrl } from "@/lib/webhooks/url-policy";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams, sessionCookie } from "../helpers/http";

// a public address from TEST-NET-3 (RFC 5737): passes the policy without a DNS lookup, and is never contacted here
const PUBLIC_URL = "https://203.0.113.10/deputy-hook";
const INTERNAL = "url: points at an internal address; webhooks must target a public host";

const made: string[] = [];
afterAll(async () => {
  await getDb().webhook.deleteMany({ where: { id: { in: made } } });
});

async function admin() {
  const { apiKey, key } = await makeApiKey();
  return { apiKey, key };
}

async function create(key: string, body: unknown) {
  const res = await createRoute(apiRequest("/api/v1/webhooks", { key, json: body }));
  const data = await json(res.clone());
  if (res.status === 201) made.push(data.webhook.id);
  return res;
}

const p = (webhookId: string, extra: Record<string, string> = {}) => routeParams({ webhookId, ...extra });

describe("POST /api/v1/webhooks", () => {
  it("creates a webhook (201) with its secret once, stores the secret only sealed, and audits it without the secret", async () => {
    const { apiKey, key } = await admin();
    const name = `siem ${uniqueTag()}`;
    const res = await create(key, { name: `  ${name} `, url: PUBLIC_URL, events: "approval.decided approval.requested approval.decided" });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(body.webhook).toEqual({
      id: expect.stringMatching(/^whk_[0-9a-z]{26}$/),
      name,
      url: PUBLIC_URL,
      events: ["approval.decided", "approval.requested"],
      enabled: true,
      secretLast4: body.secret.slice(-4),
      createdById: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const row = await getDb().webhook.findUniqueOrThrow({ where: { id: body.webhook.id } });
    expect(row.events).toBe("approval.decided approval.requested");
    expect(row.secretEnc).not.toContain(body.secret.slice(6));
    expect(unsealWebhookSecret(row.id, row.secretEnc)).toBe(body.secret);
    // sealed to this webhook: moved to another record it does not open
    expect(() => unsealWebhookSecret("whk_other", row.secretEnc)).toThrow();

    const events = await getDb().auditEvent.findMany({ where: { action: "webhook.create", targetId: row.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "api_key", actorId: apiKey.id, targetType: "webhook", result: "success" });
    expect(JSON.parse(events[0]!.details)).toEqual({ name, host: "203.0.113.10", events: ["approval.decided", "approval.requested"], enabled: true });
  });

  it("records the creating user, and takes \"*\" for every event", async () => {
    const { user } = await makeUser({ role: "admin" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    const res = await createRoute(
      apiRequest("/api/v1/webhooks", { session, headers: { origin: "http://localhost:3000" }, json: { name: `all ${uniqueTag()}`, url: PUBLIC_URL, events: ["*"], enabled: false } }),
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    made.push(body.webhook.id);
    expect(body.webhook).toMatchObject({ events: ["*"], enabled: false, createdById: user.id });
  });

  it.each([
    ["no name", { url: PUBLIC_URL, events: ["*"] }, "name: Invalid input: expected string, received undefined"],
    ["a blank name", { name: "  ", url: PUBLIC_URL, events: ["*"] }, "name: is required"],
    ["no url", { name: "x", events: ["*"] }, "url: Invalid input: expected string, received undefined"],
    ["no events", { name: "x", url: PUBLIC_URL }, "events: Invalid input"],
    ["an empty event list", { name: "x", url: PUBLIC_URL, events: [] }, "events: must name at least one event"],
    ["an unknown event", { name: "x", url: PUBLIC_URL, events: ["agent.created"] }, 'events.0: must be "*" or among approval.requested, approval.decided, agent.killed, alert.raised, audit.event'],
    ["\"*\" with another event", { name: "x", url: PUBLIC_URL, events: ["*", "agent.killed"] }, 'events: "*" already takes every event; list nothing else with it'],
    ["a secret as the name", { name: `whsec_${"a".repeat(43)}`, url: PUBLIC_URL, events: ["*"] }, "name: looks like a Deputy secret; never put a secret here"],
    ["a non-boolean enabled", { name: "x", url: PUBLIC_URL, events: ["*"], enabled: "yes" }, "enabled: Invalid input: expected boolean, received string"],
  ])("refuses %s with 400", async (_, body, message) => {
    const { key } = await admin();
    const res = await create(key, body);
    expect(res.status).toBe(400);
    const err = await json(res);
    expect(err.error.code).toBe("validation_failed");
    expect(err.error.message).toBe(message);
  });

  it.each([
    ["ftp://203.0.113.10/x", "url: must use https or http"],
    ["not a url", "url: must be an absolute http or https URL"],
    ["/relative/path", "url: must be an absolute http or https URL"],
    ["https://user:pw@203.0.113.10/x", "url: must not contain a user name or password"],
    ["https://203.0.113.10/x#frag", "url: must not contain a fragment"],
    ["http://127.0.0.1:8080/hook", INTERNAL],
    ["http://localhost/hook", INTERNAL],
    ["http://api.localhost/hook", INTERNAL],
    ["http://10.1.2.3/hook", INTERNAL],
    ["http://172.16.0.1/hook", INTERNAL],
    ["http://192.168.1.1/hook", INTERNAL],
    ["http://169.254.169.254/latest/meta-data/", INTERNAL],
    ["http://100.64.0.1/hook", INTERNAL],
    ["http://100.100.100.200/", INTERNAL],
    ["http://0.0.0.0/hook", INTERNAL],
    ["http://224.0.0.1/hook", INTERNAL],
    ["http://255.255.255.255/hook", INTERNAL],
    ["http://[::1]/hook", INTERNAL],
    ["http://[::]/hook", INTERNAL],
    ["http://[fd00:ec2::254]/hook", INTERNAL],
    ["http://[fe80::1]/hook", INTERNAL],
    ["http://[ff02::1]/hook", INTERNAL],
    ["http://[::ffff:127.0.0.1]/hook", INTERNAL],
    ["http://[::ffff:a9fe:a9fe]/hook", INTERNAL],
    ["http://[64:ff9b::a9fe:a9fe]/hook", INTERNAL],
    ["http://2130706433/hook", INTERNAL], // 127.0.0.1 written as one number: URL parsing normalises it
    ["http://0x7f.1/hook", INTERNAL],
    ["http://metadata.google.internal/computeMetadata/v1/", INTERNAL],
  ])("refuses the URL %s with 400 naming url", async (url, message) => {
    const { key } = await admin();
    const res = await create(key, { name: `bad ${uniqueTag()}`, url, events: ["*"] });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(apiError("validation_failed", message, [{ path: "url", message: message.replace(/^url: /, "") }]));
  });

  it("refuses a host that does not resolve", async () => {
    await expect(validateWebhookUrl("https://nothing.invalid/hook")).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringMatching(/^url: could not resolve nothing\.invalid/),
    });
  });

  it("allows internal addresses only when the policy says so (DEPUTY_WEBHOOK_ALLOW_PRIVATE)", async () => {
    await expect(validateWebhookUrl("http://127.0.0.1:9/hook", { allowPrivate: false })).rejects.toMatchObject({ message: INTERNAL });
    expect(await validateWebhookUrl("http://127.0.0.1:9/hook", { allowPrivate: true })).toBe("http://127.0.0.1:9/hook");
    expect(await validateWebhookUrl("http://localhost:9/hook", { allowPrivate: true })).toBe("http://localhost:9/hook");
    // shape rules hold whatever the flag
    await expect(validateWebhookUrl("file:///etc/passwd", { allowPrivate: true })).rejects.toMatchObject({ message: "url: must use https or http" });
  });

  it("classifies addresses: public ones pass, every internal range is refused", () => {
    for (const a of ["203.0.113.10", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.63.255.255", "100.128.0.0", "172.32.0.1", "169.255.0.1"]) {
      expect(isBlockedAddress(a), a).toBe(false);
    }
    for (const a of ["127.0.0.1", "127.255.255.254", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.0.1", "100.64.0.0", "100.127.255.255", "0.0.0.0", "239.255.255.250", "240.0.0.1", "::1", "::", "fc00::1", "fdff::1", "fe80::abcd", "ff05::2", "::ffff:10.0.0.1", "not-an-ip"]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
  });
});

describe("GET /api/v1/webhooks and /api/v1/webhooks/{id}", () => {
  it("lists and gets webhooks without the secret, sealed or not", async () => {
    const { key } = await admin();
    const created = await json(await create(key, { name: `list ${uniqueTag()}`, url: PUBLIC_URL, events: ["agent.killed"] }));
    const res = await listRoute(apiRequest("/api/v1/webhooks", { key }));
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    const listed = (await json(res)).webhooks.find((w: { id: string }) => w.id === created.webhook.id);
    expect(listed).toEqual(created.webhook);
    const row = await getDb().webhook.findUniqueOrThrow({ where: { id: created.webhook.id } });
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(row.secretEnc);
    expect(text).not.toMatch(/whsec_|secretEnc/);

    const one = await getRoute(apiRequest(`/api/v1/webhooks/${created.webhook.id}`, { key }), p(created.webhook.id));
    expect(one.status).toBe(200);
    const oneText = await one.clone().text();
    expect(await json(one)).toEqual(created.webhook);
    expect(oneText).not.toMatch(/whsec_|secretEnc/);
  });

  it("answers 404 for an unknown webhook", async () => {
    const { key } = await admin();
    const res = await getRoute(apiRequest("/api/v1/webhooks/whk_nope", { key }), p("whk_nope"));
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual(apiError("not_found", "Webhook not found"));
  });

  it("is for admins only: a viewer's and an approver's sessions are 403, no credentials 401", async () => {
    for (const role of ["viewer", "approver", "auditor"] as const) {
      const { user } = await makeUser({ role });
      const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
      const res = await listRoute(apiRequest("/api/v1/webhooks", { session }));
      expect(res.status, role).toBe(403);
      expect(await json(res)).toEqual(apiError("forbidden", "Your role may not do this"));
    }
    expect((await listRoute(apiRequest("/api/v1/webhooks"))).status).toBe(401);
    expect((await createRoute(apiRequest("/api/v1/webhooks", { json: { name: "x", url: PUBLIC_URL, events: ["*"] } }))).status).toBe(401);
  });
});

describe("PATCH /api/v1/webhooks/{id}", () => {
  it("changes name, url, events and enabled, and audits what changed", async () => {
    const { key } = await admin();
    const { webhook } = await json(await create(key, { name: `patch ${uniqueTag()}`, url: PUBLIC_URL, events: ["*"] }));
    const res = await patchRoute(
      apiRequest(`/api/v1/webhooks/${webhook.id}`, { key, method: "PATCH", json: { url: "https://198.51.100.7/new", events: ["agent.killed"], enabled: false } }),
      p(webhook.id),
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: webhook.id, name: webhook.name, url: "https://198.51.100.7/new", events: ["agent.killed"], enabled: false, secretLast4: webhook.secretLast4 });
    const events = await getDb().auditEvent.findMany({ where: { action: "webhook.update", targetId: webhook.id } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([
      { name: webhook.name, changed: ["enabled", "events", "url"], host: "198.51.100.7", events: ["agent.killed"], enabled: false },
    ]);
  });

  it.each([
    ["an empty body", {}, "body: change at least one of name, url, events, enabled"],
    ["an unknown field", { secret: "x" }, 'body: Unrecognized key: "secret"'],
    ["a loopback url", { url: "http://127.0.0.1/x" }, INTERNAL],
    ["an unknown event", { events: ["nope"] }, 'events.0: must be "*" or among approval.requested, approval.decided, agent.killed, alert.raised, audit.event'],
  ])("refuses %s with 400 and changes nothing", async (_, body, message) => {
    const { key } = await admin();
    const { webhook } = await json(await create(key, { name: `patch ${uniqueTag()}`, url: PUBLIC_URL, events: ["*"] }));
    const res = await patchRoute(apiRequest(`/api/v1/webhooks/${webhook.id}`, { key, method: "PATCH", json: body }), p(webhook.id));
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: "validation_failed", message });
    const row = await getDb().webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect({ url: row.url, events: row.events }).toEqual({ url: PUBLIC_URL, events: "*" });
  });

  it("answers 404 for an unknown webhook", async () => {
    const { key } = await admin();
    const res = await patchRoute(apiRequest("/api/v1/webhooks/whk_nope", { key, method: "PATCH", json: { enabled: false } }), p("whk_nope"));
    expect(res.status).toBe(404);
  });
});

describe("rotate, test, deliveries, redeliver, delete", () => {
  it("rotates the secret: a new one once, the old one gone, audited by its last four characters only", async () => {
    const { key } = await admin();
    const created = await json(await create(key, { name: `rotate ${uniqueTag()}`, url: PUBLIC_URL, events: ["*"] }));
    const res = await rotateRoute(apiRequest(`/api/v1/webhooks/${created.webhook.id}/rotate-secret`, { key, method: "POST" }), p(created.webhook.id));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.secret);
    expect(body.webhook.secretLast4).toBe(body.secret.slice(-4));
    const row = await getDb().webhook.findUniqueOrThrow({ where: { id: created.webhook.id } });
    expect(unsealWebhookSecret(row.id, row.secretEnc)).toBe(body.secret);

    const audit = await getDb().auditEvent.findMany({ where: { targetId: created.webhook.id } });
    expect(audit.map((e) => e.action).sort()).toEqual(["webhook.create", "webhook.rotate_secret"]);
    const trail = JSON.stringify(audit);
    expect(trail).not.toContain(created.secret);
    expect(trail).not.toContain(body.secret);
    expect(trail).not.toContain(row.secretEnc);
    expect(trail).not.toMatch(/whsec_/);
    expect(JSON.parse(audit.find((e) => e.action === "webhook.rotate_secret")!.details)).toEqual({ name: created.webhook.name, last4: body.secret.slice(-4) });
  });

  it("queues a test event (201), lists it in the delivery log with keyset paging, and filters by status", async () => {
    const { key } = await admin();
    const { webhook } = await json(await create(key, { name: `log ${uniqueTag()}`, url: PUBLIC_URL, events: ["*"] }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await testRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/test`, { key, method: "POST" }), p(webhook.id));
      expect(res.status).toBe(201);
      const d = await json(res);
      expect(d).toMatchObject({ webhookId: webhook.id, event: "webhook.test", status: "pending", attempts: 0, lastStatus: null, deliveredAt: null });
      ids.push(d.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = `limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await deliveriesRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/deliveries?${qs}`, { key }), p(webhook.id));
      expect(res.status).toBe(200);
      const page = await json(res);
      expect(page.deliveries.length).toBeLessThanOrEqual(2);
      seen.push(...page.deliveries.map((d: { id: string }) => d.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse()); // newest first, each once

    const delivered = await json(await deliveriesRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/deliveries?status=delivered`, { key }), p(webhook.id)));
    expect(delivered).toEqual({ deliveries: [], nextCursor: null });

    const bad = await deliveriesRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/deliveries?status=lost`, { key }), p(webhook.id));
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe("validation_failed");
    const badLimit = await deliveriesRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/deliveries?limit=0`, { key }), p(webhook.id));
    expect(badLimit.status).toBe(400);
    const unknown = await deliveriesRoute(apiRequest("/api/v1/webhooks/whk_nope/deliveries", { key }), p("whk_nope"));
    expect(unknown.status).toBe(404);
  });

  it("refuses a test to a disabled webhook (409)", async () => {
    const { key } = await admin();
    const { webhook } = await json(await create(key, { name: `off ${uniqueTag()}`, url: PUBLIC_URL, events: ["*"], enabled: false }));
    const res = await testRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/test`, { key, method: "POST" }), p(webhook.id));
    expect(res.status).toBe(409);
    expect(await json(res)).toEqual(apiError("conflict", "This webhook is disabled; enable it to send a test"));
  });

  it("redelivers a failed delivery (200) once; again while pending is 409", async () => {
    const { key } = await admin();
    // a loopback target allowed at creation (as in development), refused at send by the production policy: fails
    const { webhook } = await createWebhook(getDb(), { name: `redo ${uniqueTag()}`, url: "http://127.0.0.1:9/x", events: ["*"] }, testActor, { allowPrivate: true });
    made.push(webhook.id);
    const queued = await json(await testRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/test`, { key, method: "POST" }), p(webhook.id)));
    await getDb().webhookDelivery.update({ where: { id: queued.id }, data: { status: "failed", attempts: 6, lastError: "HTTP 500", lastStatus: 500 } });

    const url = `/api/v1/webhooks/${webhook.id}/deliveries/${queued.id}/redeliver`;
    const res = await redeliverRoute(apiRequest(url, { key, method: "POST" }), p(webhook.id, { deliveryId: queued.id }));
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: queued.id, status: "pending", attempts: 0, lastError: null, lastStatus: null });
    const again = await redeliverRoute(apiRequest(url, { key, method: "POST" }), p(webhook.id, { deliveryId: queued.id }));
    expect(again.status).toBe(409);
    const missing = await redeliverRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/deliveries/whd_nope/redeliver`, { key, method: "POST" }), p(webhook.id, { deliveryId: "whd_nope" }));
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual(apiError("not_found", "Delivery not found"));

    // and the sender, with the production policy, refuses the loopback target at send time
    await sendDueWebhooks(getDb(), { webhookId: webhook.id, policy: { allowPrivate: false } });
    const row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ attempts: 1, lastError: "refused: points at an internal address; webhooks must target a public host" });
  });

  it("deletes a webhook with its delivery log (200), audited; again is 404", async () => {
    const { key } = await admin();
    const { webhook } = await json(await create(key, { name: `gone ${uniqueTag()}`, url: PUBLIC_URL, events: ["*"] }));
    await testRoute(apiRequest(`/api/v1/webhooks/${webhook.id}/test`, { key, method: "POST" }), p(webhook.id));
    const res = await deleteRoute(apiRequest(`/api/v1/webhooks/${webhook.id}`, { key, method: "DELETE" }), p(webhook.id));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id: webhook.id, name: webhook.name, deliveryCount: 1 });
    expect(await getDb().webhook.findUnique({ where: { id: webhook.id } })).toBeNull();
    expect(await getDb().webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(0);
    const events = await getDb().auditEvent.findMany({ where: { action: "webhook.delete", targetId: webhook.id } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([{ name: webhook.name, host: "203.0.113.10", deliveryCount: 1 }]);
    const again = await deleteRoute(apiRequest(`/api/v1/webhooks/${webhook.id}`, { key, method: "DELETE" }), p(webhook.id));
    expect(again.status).toBe(404);
  });
});

describe("the audit trail", () => {
  it("refuses a webhook secret in any event's details", async () => {
    const { recordAuditEvent } = await import("@/lib/audit/record-event");
    await expect(
      recordAuditEvent(getDb(), { actor: testActor, action: "webhook.update", details: { note: `whsec_${"A".repeat(43)}` } }),
    ).rejects.toThrow(/audit details carry a secret/);
  });
});
