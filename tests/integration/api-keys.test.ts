// Admin API keys through the real /api/v1 route handlers: create, authenticate, list, revoke, and every way a
// presented key can be wrong.
import { describe, expect, it } from "vitest";
import { DELETE as revokeKey } from "@/app/api/v1/api-keys/[keyId]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/v1/api-keys/route";
import * as unknownRoute from "@/app/api/v1/[...rest]/route";
import { GET as me } from "@/app/api/v1/me/route";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { getDb } from "@/lib/db/client";
import { makeApiKey, makeUser, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams, sessionCookie } from "../helpers/http";

const INVALID_KEY = apiError("unauthorized", "Invalid or revoked API key");
const USE_BEARER = apiError("unauthorized", "Use Authorization: Bearer <API key>");
const NO_CREDENTIALS = apiError("unauthorized", "Sign in or send an API key");

async function expectUnauthorized(res: Response, body: unknown) {
  expect(res.status).toBe(401);
  expect(await json(res)).toEqual(body);
  expect(res.headers.get("www-authenticate")).toBe('Bearer realm="deputy"');
  expect(res.headers.get("cache-control")).toBe("no-store");
}

describe("admin API keys", () => {
  it("authenticates GET /api/v1/me with a new key, as that key, with the admin role", async () => {
    const { apiKey, key } = await makeApiKey();
    const res = await me(apiRequest("/api/v1/me", { key }));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ actor: { type: "api_key", id: apiKey.id, label: apiKey.name }, role: "admin", via: "api_key" });
  });

  it("is dpk_ + 43 base64url characters, and only its keyed hash and last four characters are stored", async () => {
    const { apiKey, key } = await makeApiKey();
    expect(key).toMatch(/^dpk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.id).toMatch(/^key_[0-9a-z]{26}$/);
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.hash).not.toBe(key);
    expect(row.hash).not.toContain(key.slice(4));
    expect(row.last4).toBe(key.slice(-4));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(Object.keys(apiKey).sort()).toEqual(["createdAt", "createdById", "id", "last4", "lastUsedAt", "name", "revokedAt", "status"]);
  });

  it("lists keys without the key or its hash", async () => {
    const { apiKey, key } = await makeApiKey();
    const { key: caller } = await makeApiKey();
    const res = await listKeys(apiRequest("/api/v1/api-keys", { key: caller }));
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    const body = await json(res);
    const listed = body.apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed).toEqual({ ...apiKey, status: "active" });
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(text).not.toContain(key);
    expect(text).not.toContain(row.hash);
    expect(text).not.toContain(caller);
    expect(text).not.toMatch(/"hash"/);
    expect(text).not.toMatch(/dpk_/);
  });

  it("POST /api/v1/api-keys creates a key (201, shown once) and audits it as the calling key", async () => {
    const { apiKey: callerKey, key: caller } = await makeApiKey();
    const name = `ci ${uniqueTag()}`;
    const res = await createKey(apiRequest("/api/v1/api-keys", { key: caller, json: { name: `  ${name}  ` } }));
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.key).toMatch(/^dpk_[A-Za-z0-9_-]{43}$/);
    expect(body.apiKey).toMatchObject({ name, status: "active", last4: body.key.slice(-4), createdById: null, lastUsedAt: null, revokedAt: null });

    const events = await getDb().auditEvent.findMany({ where: { action: "api_key.create", targetId: body.apiKey.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "api_key", actorId: callerKey.id, actorLabel: callerKey.name, targetType: "api_key", result: "success" });
    expect(JSON.parse(events[0]!.details)).toEqual({ name });
    expect(events[0]!.details).not.toContain("dpk_");

    // the new key works at once, and is never shown again
    expect((await me(apiRequest("/api/v1/me", { key: body.key }))).status).toBe(200);
    const listed = await (await listKeys(apiRequest("/api/v1/api-keys", { key: caller }))).text();
    expect(listed).not.toContain(body.key);
  });

  it("POST /api/v1/api-keys refuses a missing or blank name", async () => {
    const { key } = await makeApiKey();
    const blank = await createKey(apiRequest("/api/v1/api-keys", { key, json: { name: "   " } }));
    expect(blank.status).toBe(400);
    expect(await json(blank)).toEqual(apiError("validation_failed", "name: is required", [{ path: "name", message: "is required" }]));
    const missing = await createKey(apiRequest("/api/v1/api-keys", { key, json: {} }));
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.code).toBe("validation_failed");
  });

  it("revokes with DELETE: 200, then the key is refused; revoking again is 409", async () => {
    const { apiKey, key } = await makeApiKey();
    const { apiKey: adminKey, key: admin } = await makeApiKey();
    expect((await me(apiRequest("/api/v1/me", { key }))).status).toBe(200);

    const res = await revokeKey(apiRequest(`/api/v1/api-keys/${apiKey.id}`, { method: "DELETE", key: admin }), routeParams({ keyId: apiKey.id }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ id: apiKey.id, name: apiKey.name, status: "revoked" });
    expect(Date.parse(body.revokedAt)).not.toBeNaN();

    await expectUnauthorized(await me(apiRequest("/api/v1/me", { key })), INVALID_KEY);
    await expect(authenticateApiKey(getDb(), key)).rejects.toMatchObject({ code: "unauthorized", message: "Invalid or revoked API key" });

    const again = await revokeKey(apiRequest(`/api/v1/api-keys/${apiKey.id}`, { method: "DELETE", key: admin }), routeParams({ keyId: apiKey.id }));
    expect(again.status).toBe(409);
    expect(await json(again)).toEqual(apiError("conflict", "This API key is already revoked"));

    // one revocation, one event, by the revoking key
    const events = await getDb().auditEvent.findMany({ where: { action: "api_key.revoke", targetId: apiKey.id } });
    expect(events.map((e) => [e.actorType, e.actorId])).toEqual([["api_key", adminKey.id]]);
  });

  it("DELETE of an unknown key id is 404", async () => {
    const { key } = await makeApiKey();
    const res = await revokeKey(apiRequest("/api/v1/api-keys/key_nope", { method: "DELETE", key }), routeParams({ keyId: "key_nope" }));
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual(apiError("not_found", "API key not found"));
  });

  it("a revoked key cannot revoke (or do) anything", async () => {
    const { apiKey: victim } = await makeApiKey();
    const { apiKey: revoked, key: revokedKey } = await makeApiKey();
    const { key: admin } = await makeApiKey();
    await revokeKey(apiRequest(`/api/v1/api-keys/${revoked.id}`, { method: "DELETE", key: admin }), routeParams({ keyId: revoked.id }));
    const res = await revokeKey(apiRequest(`/api/v1/api-keys/${victim.id}`, { method: "DELETE", key: revokedKey }), routeParams({ keyId: victim.id }));
    await expectUnauthorized(res, INVALID_KEY);
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: victim.id } })).revokedAt).toBeNull();
  });

  it("refuses an unknown well-formed key with the same answer as a revoked one", async () => {
    const { key } = await makeApiKey();
    // same shape, last character changed
    const forged = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    await expectUnauthorized(await me(apiRequest("/api/v1/me", { key: forged })), INVALID_KEY);
    await expectUnauthorized(await me(apiRequest("/api/v1/me", { key: `dpk_${"A".repeat(43)}` })), INVALID_KEY);
  });

  it.each([
    ["a short dpk_ key", { authorization: "Bearer dpk_short" }, INVALID_KEY],
    ["a dps_ secret", { authorization: `Bearer dps_${"a".repeat(43)}` }, INVALID_KEY],
    ["a key one character too long", { authorization: `Bearer dpk_${"a".repeat(44)}` }, INVALID_KEY],
    ["Basic credentials", { authorization: "Basic abc" }, USE_BEARER],
    ["Bearer with no key", { authorization: "Bearer" }, USE_BEARER],
    ["Bearer with an empty key", { authorization: "Bearer    " }, USE_BEARER],
    ["two tokens", { authorization: `Bearer dpk_${"a".repeat(43)} extra` }, USE_BEARER],
    ["an empty Authorization header", { authorization: "" }, USE_BEARER],
  ])("refuses %s with 401", async (_, opts, body) => {
    await expectUnauthorized(await me(apiRequest("/api/v1/me", opts)), body);
  });

  it("refuses a request with no Authorization and no cookie", async () => {
    await expectUnauthorized(await me(apiRequest("/api/v1/me")), NO_CREDENTIALS);
    await expectUnauthorized(await listKeys(apiRequest("/api/v1/api-keys")), NO_CREDENTIALS);
  });

  it("a bad Authorization header is refused even when a valid session cookie is also sent", async () => {
    const { user } = await makeUser({ role: "admin" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    expect((await me(apiRequest("/api/v1/me", { session }))).status).toBe(200);
    await expectUnauthorized(await me(apiRequest("/api/v1/me", { session, authorization: "Bearer dpk_short" })), INVALID_KEY);
  });

  it("records lastUsedAt on use, to the minute", async () => {
    const { apiKey, key } = await makeApiKey();
    expect(apiKey.lastUsedAt).toBeNull();
    const before = Date.now();
    expect((await me(apiRequest("/api/v1/me", { key }))).status).toBe(200);
    const first = (await getDb().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(first).not.toBeNull();
    expect(first!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    // within the minute: not written again; past it: written with the time of use
    await authenticateApiKey(getDb(), key, new Date(first!.getTime() + 30_000));
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).toEqual(first);
    const later = new Date(first!.getTime() + 61_000);
    await authenticateApiKey(getDb(), key, later);
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).toEqual(later);
  });

  it("only admins may manage keys: a viewer's session is 403", async () => {
    const { user } = await makeUser({ role: "viewer" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    const res = await listKeys(apiRequest("/api/v1/api-keys", { session }));
    expect(res.status).toBe(403);
    expect(await json(res)).toEqual(apiError("forbidden", "Your role may not do this"));
  });
});

describe("unknown /api/v1 routes", () => {
  it.each(["GET", "POST", "PUT", "PATCH", "DELETE"] as const)("%s answers a JSON 404", async (method) => {
    const handler = unknownRoute[method];
    const res = await handler();
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await json(res)).toEqual(apiError("not_found", "No such API route"));
  });
});
