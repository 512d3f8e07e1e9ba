// Agents and their credentials, through the use cases and the real /api/v1/agents route handlers: registration,
// listing (filters, sorts, keyset paging), update, suspend/reactivate, client secrets (create, rotate with a grace
// period, revoke), public keys for private_key_jwt, and the promise that a secret appears in exactly one response.
// Time is controlled by passing `now` or by setting expiry dates directly; nothing sleeps.
import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { GET as getAgentRoute, PATCH as patchAgent } from "@/app/api/v1/agents/[agentId]/route";
import { DELETE as revokeKeyRoute } from "@/app/api/v1/agents/[agentId]/keys/[keyId]/route";
import { GET as listKeysRoute, POST as addKeyRoute } from "@/app/api/v1/agents/[agentId]/keys/route";
import { POST as reactivateRoute } from "@/app/api/v1/agents/[agentId]/reactivate/route";
import { DELETE as revokeSecretRoute } from "@/app/api/v1/agents/[agentId]/secrets/[secretId]/route";
import { POST as rotateRoute } from "@/app/api/v1/agents/[agentId]/secrets/rotate/route";
import { GET as listSecretsRoute, POST as createSecretRoute } from "@/app/api/v1/agents/[agentId]/secrets/route";
import { POST as suspendRoute } from "@/app/api/v1/agents/[agentId]/suspend/route";
import { GET as listAgentsRoute, POST as createAgentRoute } from "@/app/api/v1/agents/route";
import { addPublicKey } from "@/lib/agents/add-public-key";
import { createAgent } from "@/lib/agents/create-agent";
import { createClientSecret } from "@/lib/agents/create-client-secret";
import { getAgent } from "@/lib/agents/get-agent";
import { CLIENT_SECRET_PATTERN } from "@/lib/agents/limits";
import { listAgents } from "@/lib/agents/list-agents";
import { rotateClientSecret } from "@/lib/agents/rotate-client-secret";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { getDb } from "@/lib/db/client";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, BASE_URL, json, routeParams, sessionCookie } from "../helpers/http";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function admin() {
  return (await makeApiKey()).key;
}

async function makeOwner() {
  return (await makeUser({ role: "admin" })).user;
}

/** An agent through the use case, owned by `ownerEmail` (a fresh user when absent). */
async function makeAgent(opts: { name?: string; ownerEmail?: string; now?: Date; secretExpiresInDays?: number; kind?: "autonomous" | "on_behalf_of" } = {}) {
  const ownerEmail = opts.ownerEmail ?? (await makeOwner()).email;
  return createAgent(
    getDb(),
    {
      name: opts.name ?? `agent ${uniqueTag()}`,
      owner: ownerEmail,
      kind: opts.kind,
      ...(opts.secretExpiresInDays ? { secretExpiresInDays: opts.secretExpiresInDays } : {}),
    },
    testActor,
    opts.now,
  );
}

const AGENT_VIEW_KEYS = [
  "activeSecrets",
  "allowedScopes",
  "canIntrospect",
  "clientId",
  "createdAt",
  "description",
  "id",
  "killedAt",
  "kind",
  "lastSeenAt",
  "name",
  "owner",
  "redirectUris",
  "rotationDue",
  "status",
  "tokenTtlSeconds",
  "updatedAt",
];
const SECRET_VIEW_KEYS = ["createdAt", "expiresAt", "id", "last4", "lastUsedAt", "revokedAt", "rotatedAt", "status"];

describe("POST /api/v1/agents", () => {
  it("registers an agent with its first secret (201, shown once), stores only the hash, and audits both", async () => {
    const owner = await makeOwner();
    const key = await makeApiKey();
    const name = `build bot ${uniqueTag()}`;
    const res = await createAgentRoute(
      apiRequest("/api/v1/agents", {
        key: key.key,
        json: { name: `  ${name} `, owner: owner.email.toUpperCase(), allowedScopes: "github.push  github.read github.push", tokenTtlSeconds: 900 },
      }),
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["agent", "clientSecret"]);
    expect(body.clientSecret).toMatch(CLIENT_SECRET_PATTERN);
    expect(Object.keys(body.agent).sort()).toEqual(AGENT_VIEW_KEYS);
    expect(body.agent).toMatchObject({
      clientId: body.agent.id,
      name,
      description: null,
      owner: { id: owner.id, email: owner.email },
      kind: "autonomous",
      status: "active",
      tokenTtlSeconds: 900,
      allowedScopes: ["github.push", "github.read"],
      canIntrospect: false,
      lastSeenAt: null,
      rotationDue: false,
      activeSecrets: 1,
    });
    expect(body.agent.id).toMatch(/^agt_[0-9a-z]{26}$/);

    const rows = await getDb().clientSecret.findMany({ where: { agentId: body.agent.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash).toBe(hashSecret(body.clientSecret));
    expect(rows[0]!.last4).toBe(body.clientSecret.slice(-4));
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(90 * DAY);
    expect(JSON.stringify(rows)).not.toContain(body.clientSecret);

    // both events carry the same instant, so their ids do not order them: sort by action
    const events = await getDb().auditEvent.findMany({ where: { targetId: body.agent.id }, orderBy: { action: "asc" } });
    expect(events.map((e) => [e.action, e.actorType, e.actorId])).toEqual([
      ["agent.create", "api_key", key.apiKey.id],
      ["client_secret.create", "api_key", key.apiKey.id],
    ]);
    expect(JSON.parse(events[0]!.details)).toEqual({
      name,
      ownerId: owner.id,
      kind: "autonomous",
      tokenTtlSeconds: 900,
      allowedScopes: ["github.push", "github.read"],
      canIntrospect: false,
    });
    expect(JSON.parse(events[1]!.details)).toEqual({ secretId: rows[0]!.id, last4: rows[0]!.last4, expiresAt: rows[0]!.expiresAt.toISOString() });
    for (const e of events) expect(e.details).not.toContain("dps_");
  });

  it("with withSecret: false makes no secret (for private_key_jwt only agents)", async () => {
    const owner = await makeOwner();
    const res = await createAgentRoute(
      apiRequest("/api/v1/agents", { key: await admin(), json: { name: "keys only", owner: owner.id, withSecret: false, kind: "on_behalf_of" } }),
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.clientSecret).toBeNull();
    expect(body.agent).toMatchObject({ kind: "on_behalf_of", activeSecrets: 0, owner: { id: owner.id } });
    expect(await getDb().clientSecret.count({ where: { agentId: body.agent.id } })).toBe(0);
    expect(await getDb().auditEvent.count({ where: { targetId: body.agent.id, action: "client_secret.create" } })).toBe(0);
  });

  it.each([
    ["an unknown owner", { name: "a", owner: "nobody@test.deputy.local" }, "owner: no user nobody@test.deputy.local", "owner", "no user nobody@test.deputy.local"],
    ["a blank name", { name: "  ", owner: "x@y.z" }, "name: is required", "name", "is required"],
    ["a token lifetime over an hour", { name: "a", owner: "x@y.z", tokenTtlSeconds: 3601 }, "tokenTtlSeconds: must be at most 3600 seconds", "tokenTtlSeconds", "must be at most 3600 seconds"],
    ["a token lifetime under a minute", { name: "a", owner: "x@y.z", tokenTtlSeconds: 59 }, "tokenTtlSeconds: must be at least 60 seconds", "tokenTtlSeconds", "must be at least 60 seconds"],
    ["a scope that is not a tool name", { name: "a", owner: "x@y.z", allowedScopes: ["github.push", "Repo:*"] }, "allowedScopes.1: must be tool names like github.push", "allowedScopes.1", "must be tool names like github.push"],
    ["an unknown kind", { name: "a", owner: "x@y.z", kind: "robot" }, "kind: must be one of autonomous, on_behalf_of", "kind", "must be one of autonomous, on_behalf_of"],
    // free text reaches the audit trail, which refuses secrets: a pasted secret is a 400, never a 500
    [
      "a description that carries a secret",
      { name: "a", owner: "x@y.z", description: `see dps_${"a".repeat(43)}` },
      "description: looks like a Deputy secret; never put a secret here",
      "description",
      "looks like a Deputy secret; never put a secret here",
    ],
  ])("refuses %s with 400", async (_, body, message, path, detail) => {
    const res = await createAgentRoute(apiRequest("/api/v1/agents", { key: await admin(), json: body }));
    expect(res.status).toBe(400);
    const got = await json(res);
    expect(got.error).toMatchObject({ code: "validation_failed", message });
    expect(got.error.details[0]).toEqual({ path, message: detail });
  });

  it("refuses a disabled owner", async () => {
    const { user } = await makeUser({ role: "viewer", disabled: true });
    const res = await createAgentRoute(apiRequest("/api/v1/agents", { key: await admin(), json: { name: "a", owner: user.email } }));
    expect(res.status).toBe(400);
    const message = `${user.email} is disabled; an agent's owner must be an active user`;
    expect(await json(res)).toEqual(apiError("validation_failed", `owner: ${message}`, [{ path: "owner", message }]));
  });

  it("lets every console role read, and only admins write", async () => {
    const { agent } = await makeAgent();
    for (const role of ["approver", "auditor", "viewer"] as const) {
      const { user } = await makeUser({ role });
      const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
      const headers = { origin: BASE_URL };
      expect((await listAgentsRoute(apiRequest("/api/v1/agents", { session }))).status).toBe(200);
      expect((await getAgentRoute(apiRequest(`/api/v1/agents/${agent.id}`, { session }), routeParams({ agentId: agent.id }))).status).toBe(200);
      const post = await createAgentRoute(apiRequest("/api/v1/agents", { session, headers, json: { name: "no", owner: user.email } }));
      expect(post.status).toBe(403);
      expect(await json(post)).toEqual(apiError("forbidden", "Your role may not do this"));
      const suspend = await suspendRoute(apiRequest(`/api/v1/agents/${agent.id}/suspend`, { method: "POST", session, headers }), routeParams({ agentId: agent.id }));
      expect(suspend.status).toBe(403);
      const rotate = await rotateRoute(
        apiRequest(`/api/v1/agents/${agent.id}/secrets/rotate`, { session, headers, json: {} }),
        routeParams({ agentId: agent.id }),
      );
      expect(rotate.status).toBe(403);
    }
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("active");
  });
});

describe("GET /api/v1/agents", () => {
  it("filters by name part, exact id, status, kind and owner, with the total of matches", async () => {
    const owner = await makeOwner();
    const tag = uniqueTag();
    // one case: how upper and lower case sort is the database's collation
    const a = (await makeAgent({ name: `alpha ${tag}`, ownerEmail: owner.email })).agent;
    const b = (await makeAgent({ name: `beta ${tag}`, ownerEmail: owner.email, kind: "on_behalf_of" })).agent;
    const c = (await makeAgent({ name: `gamma ${tag}`, ownerEmail: owner.email })).agent;
    await getDb().agent.update({ where: { id: c.id }, data: { status: "suspended" } });
    const key = await admin();
    const list = async (qs: string) => {
      const res = await listAgentsRoute(apiRequest(`/api/v1/agents?${qs}`, { key }));
      expect(res.status).toBe(200);
      return (await json(res)) as { agents: { id: string }[]; total: number; nextCursor: string | null };
    };
    const ids = (p: { agents: { id: string }[] }) => p.agents.map((x) => x.id);

    expect(ids(await list(`ownerId=${owner.id}&sort=name`))).toEqual([a.id, b.id, c.id]);
    expect((await list(`ownerId=${owner.id}`)).total).toBe(3);
    // name contains, ignoring case
    expect(ids(await list(`q=${encodeURIComponent(`ALPHA ${tag}`)}`))).toEqual([a.id]);
    expect(ids(await list(`q=${tag}&sort=name&order=desc`))).toEqual([c.id, b.id, a.id]);
    expect(ids(await list(`q=${b.id}`))).toEqual([b.id]);
    expect(ids(await list(`q=${tag}&status=suspended`))).toEqual([c.id]);
    expect(ids(await list(`q=${tag}&kind=on_behalf_of`))).toEqual([b.id]);
    expect(await list(`q=${tag}&status=killed`)).toEqual({ agents: [], total: 0, nextCursor: null });

    const bad = await listAgentsRoute(apiRequest("/api/v1/agents?limit=101", { key }));
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe("validation_failed");
  });

  it.each([
    ["name", "asc"],
    ["name", "desc"],
    ["createdAt", "asc"],
    ["createdAt", "desc"],
    ["lastSeenAt", "asc"],
    ["lastSeenAt", "desc"],
  ] as const)("pages through every match exactly once, sorted by %s %s", async (sort, order) => {
    const owner = await makeOwner();
    const base = Date.now() - 10 * DAY;
    const names = ["m", "c", "x", "a", "c", "q", "b"]; // a duplicate name: the id breaks the tie
    const agents = [];
    for (const [i, n] of names.entries()) {
      const { agent } = await makeAgent({ name: `${n}-${owner.id}`, ownerEmail: owner.email, now: new Date(base + (i % 3) * 1000) });
      agents.push(agent);
    }
    // some seen (two at the same instant), some never
    const seen = [new Date(base + 5000), new Date(base + 9000), new Date(base + 5000), null, null, new Date(base + 1000), null];
    for (const [i, a] of agents.entries()) await getDb().agent.update({ where: { id: a.id }, data: { lastSeenAt: seen[i] } });

    const got: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listAgents(getDb(), { ownerId: owner.id, sort, order, limit: 2, cursor });
      expect(page.total).toBe(7);
      got.push(...page.agents.map((a) => a.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }

    const rows = await getDb().agent.findMany({ where: { ownerId: owner.id } });
    const dir = order === "asc" ? 1 : -1;
    const value = (r: (typeof rows)[number]) => (sort === "name" ? r.name : sort === "createdAt" ? r.createdAt.getTime() : (r.lastSeenAt?.getTime() ?? null));
    const expected = [...rows]
      .sort((x, y) => {
        const [vx, vy] = [value(x), value(y)];
        if (vx === null || vy === null) return vx === vy ? dir * (x.id < y.id ? -1 : 1) : vx === null ? 1 : -1; // never seen: last
        if (vx !== vy) return dir * (vx < vy ? -1 : 1);
        return dir * (x.id < y.id ? -1 : 1);
      })
      .map((r) => r.id);
    expect(got).toEqual(expected);
  });

  it("refuses a cursor made for another sort", async () => {
    const owner = await makeOwner();
    for (let i = 0; i < 3; i++) await makeAgent({ ownerEmail: owner.email });
    const page = await listAgents(getDb(), { ownerId: owner.id, sort: "name", limit: 1 });
    expect(page.nextCursor).not.toBeNull();
    const res = await listAgentsRoute(apiRequest(`/api/v1/agents?ownerId=${owner.id}&sort=createdAt&cursor=${page.nextCursor}`, { key: await admin() }));
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(
      apiError("validation_failed", "cursor: is not a cursor of this listing", [{ path: "cursor", message: "is not a cursor of this listing" }]),
    );
    const garbage = await listAgentsRoute(apiRequest("/api/v1/agents?cursor=%%%", { key: await admin() }));
    expect(garbage.status).toBe(400);
  });

  it("marks rotation due when the oldest active secret is older than the policy, and counts active secrets", async () => {
    const owner = await makeOwner();
    const now = new Date();
    const old = (await makeAgent({ ownerEmail: owner.email, now: new Date(now.getTime() - 100 * DAY), secretExpiresInDays: 365 })).agent;
    const fresh = (await makeAgent({ ownerEmail: owner.email, now: new Date(now.getTime() - 10 * DAY) })).agent;
    await createClientSecret(getDb(), fresh.id, {}, testActor);

    const byId = async () => new Map((await listAgents(getDb(), { ownerId: owner.id })).agents.map((a) => [a.id, a]));
    let listed = await byId();
    expect(listed.get(old.id)).toMatchObject({ rotationDue: true, activeSecrets: 1 });
    expect(listed.get(fresh.id)).toMatchObject({ rotationDue: false, activeSecrets: 2 });
    expect((await getAgent(getDb(), old.id)).rotationDue).toBe(true);

    // rotating puts the old secret into its grace period: it no longer counts, and rotation is no longer due
    await rotateClientSecret(getDb(), old.id, {}, testActor);
    listed = await byId();
    expect(listed.get(old.id)).toMatchObject({ rotationDue: false, activeSecrets: 1 });
    expect((await getAgent(getDb(), old.id)).secrets.map((s) => s.status)).toEqual(["active", "grace"]);
  });

  it("marks rotation due two weeks before a default 90-day secret expires, not only after the policy age", async () => {
    const owner = await makeOwner();
    const now = new Date();
    const ageing = (await makeAgent({ ownerEmail: owner.email, now: new Date(now.getTime() - 77 * DAY) })).agent; // expires in 13 days
    const younger = (await makeAgent({ ownerEmail: owner.email, now: new Date(now.getTime() - 75 * DAY) })).agent; // expires in 15 days
    const listed = new Map((await listAgents(getDb(), { ownerId: owner.id })).agents.map((a) => [a.id, a]));
    expect(listed.get(ageing.id)?.rotationDue).toBe(true);
    expect(listed.get(younger.id)?.rotationDue).toBe(false);
    expect((await getAgent(getDb(), ageing.id)).rotationDue).toBe(true);
  });
});

describe("GET and PATCH /api/v1/agents/{agentId}", () => {
  it("gets the agent with its secrets, public keys and recent tokens, never a secret or a hash", async () => {
    const { agent, clientSecret } = await makeAgent();
    const extra = await createClientSecret(getDb(), agent.id, { expiresInDays: 7 }, testActor);
    const rotated = await rotateClientSecret(getDb(), agent.id, { graceHours: 1 }, testActor);
    // the token endpoint records each issuance like this
    for (let i = 0; i < 22; i++) {
      await recordAuditEvent(
        getDb(),
        { actor: { type: "system", id: "oauth", label: "token endpoint" }, action: "token.issue", target: { type: "agent", id: agent.id }, details: { jti: `jti-${i}`, scope: "github.read", aud: "https://api.example", exp: 1_900_000_000 + i } },
        new Date(Date.now() - (22 - i) * 1000),
      );
    }
    const key = await admin();
    const res = await getAgentRoute(apiRequest(`/api/v1/agents/${agent.id}`, { key }), routeParams({ agentId: agent.id }));
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual([...AGENT_VIEW_KEYS, "publicKeys", "recentTokens", "secrets"].sort());
    expect(body.secrets).toHaveLength(3);
    for (const s of body.secrets) expect(Object.keys(s).sort()).toEqual(SECRET_VIEW_KEYS);
    expect(body.secrets[0]).toMatchObject({ id: rotated.secret.id, status: "active" });
    expect(body.secrets.slice(1).map((s: { status: string }) => s.status)).toEqual(["grace", "grace"]);
    expect(body.recentTokens).toHaveLength(20);
    expect(body.recentTokens[0]).toMatchObject({ jti: "jti-21", scope: "github.read", aud: "https://api.example", expiresAt: new Date(1_900_000_021_000).toISOString() });

    const rows = await getDb().clientSecret.findMany({ where: { agentId: agent.id } });
    for (const secret of [clientSecret!, extra.clientSecret, rotated.clientSecret]) expect(text).not.toContain(secret);
    for (const r of rows) expect(text).not.toContain(r.hash);
    expect(text).not.toMatch(/dps_|"hash"|tokenEpoch/);

    for (const other of [
      await listAgentsRoute(apiRequest(`/api/v1/agents?q=${agent.id}`, { key })),
      await listSecretsRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets`, { key }), routeParams({ agentId: agent.id })),
    ]) {
      expect(other.status).toBe(200);
      const t = await other.text();
      expect(t).not.toMatch(/dps_|"hash"/);
      for (const r of rows) expect(t).not.toContain(r.hash);
    }
  });

  it("answers 404 for an unknown agent", async () => {
    const key = await admin();
    const res = await getAgentRoute(apiRequest("/api/v1/agents/agt_nope", { key }), routeParams({ agentId: "agt_nope" }));
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual(apiError("not_found", "Agent not found"));
    const patch = await patchAgent(apiRequest("/api/v1/agents/agt_nope", { method: "PATCH", key, json: { name: "x" } }), routeParams({ agentId: "agt_nope" }));
    expect(patch.status).toBe(404);
  });

  it("PATCH changes settings and records the changed fields once; a no-op records nothing", async () => {
    const { agent } = await makeAgent();
    const newOwner = await makeOwner();
    const key = await admin();
    const patch = (body: unknown) =>
      patchAgent(apiRequest(`/api/v1/agents/${agent.id}`, { method: "PATCH", key, json: body }), routeParams({ agentId: agent.id }));

    const res = await patch({ description: "Pushes builds", allowedScopes: ["ci.run", "github.push"], tokenTtlSeconds: 300, canIntrospect: true, owner: newOwner.email });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      id: agent.id,
      description: "Pushes builds",
      allowedScopes: ["ci.run", "github.push"],
      tokenTtlSeconds: 300,
      canIntrospect: true,
      owner: { id: newOwner.id, email: newOwner.email },
    });
    const events = await getDb().auditEvent.findMany({ where: { targetId: agent.id, action: "agent.update" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details)).toEqual({
      changes: {
        description: { from: null, to: "Pushes builds" },
        allowedScopes: { from: [], to: ["ci.run", "github.push"] },
        tokenTtlSeconds: { from: 600, to: 300 },
        canIntrospect: { from: false, to: true },
        owner: { from: agent.owner.email, to: newOwner.email },
      },
    });

    expect((await patch({ allowedScopes: "github.push ci.run", tokenTtlSeconds: 300 })).status).toBe(200);
    expect(await getDb().auditEvent.count({ where: { targetId: agent.id, action: "agent.update" } })).toBe(1);

    const strict = await patch({ status: "active" });
    expect(strict.status).toBe(400);
    expect((await json(strict)).error.code).toBe("validation_failed");
  });
});

describe("suspend and reactivate", () => {
  it("suspends once (bumping the token epoch), reactivates once, and says why it refuses", async () => {
    const { agent } = await makeAgent();
    const key = await admin();
    const call = (fn: typeof suspendRoute, action: string, id = agent.id) =>
      fn(apiRequest(`/api/v1/agents/${id}/${action}`, { method: "POST", key }), routeParams({ agentId: id }));

    const suspended = await call(suspendRoute, "suspend");
    expect(suspended.status).toBe(200);
    expect(await json(suspended)).toMatchObject({ id: agent.id, status: "suspended" });
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).tokenEpoch).toBe(1);

    const again = await call(suspendRoute, "suspend");
    expect(again.status).toBe(409);
    expect(await json(again)).toEqual(apiError("conflict", "This agent is already suspended"));

    const reactivated = await call(reactivateRoute, "reactivate");
    expect(reactivated.status).toBe(200);
    expect(await json(reactivated)).toMatchObject({ status: "active" });
    // tokens from before the suspension stay dead: the epoch is not lowered
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).tokenEpoch).toBe(1);
    expect(await json(await call(reactivateRoute, "reactivate"))).toEqual(apiError("conflict", "This agent is already active"));

    const events = await getDb().auditEvent.findMany({ where: { targetId: agent.id, action: { in: ["agent.suspend", "agent.reactivate"] } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action).sort()).toEqual(["agent.reactivate", "agent.suspend"]);

    expect((await call(suspendRoute, "suspend", "agt_nope")).status).toBe(404);
    expect((await call(reactivateRoute, "reactivate", "agt_nope")).status).toBe(404);
  });

  it("does not reactivate (or suspend) a killed agent, nor give it new credentials", async () => {
    const { agent } = await makeAgent();
    await getDb().agent.update({ where: { id: agent.id }, data: { status: "killed" } });
    const key = await admin();
    const params = routeParams({ agentId: agent.id });
    const reactivate = await reactivateRoute(apiRequest(`/api/v1/agents/${agent.id}/reactivate`, { method: "POST", key }), params);
    expect(reactivate.status).toBe(409);
    expect(await json(reactivate)).toEqual(
      apiError("conflict", "This agent was killed; it cannot be reactivated, only restored through the kill switch"),
    );
    const suspend = await suspendRoute(apiRequest(`/api/v1/agents/${agent.id}/suspend`, { method: "POST", key }), params);
    expect(await json(suspend)).toEqual(apiError("conflict", "This agent was killed; it is already cut off"));
    const secret = await createSecretRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets`, { key, json: {} }), params);
    expect(secret.status).toBe(409);
    expect(await json(secret)).toEqual(apiError("conflict", "This agent was killed; it cannot get new credentials"));
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("killed");
  });
});

describe("client secrets", () => {
  it("POST /secrets adds a secret shown once (201); the others keep working", async () => {
    const { agent } = await makeAgent();
    const res = await createSecretRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets`, { key: await admin(), json: { expiresInDays: 30 } }), routeParams({ agentId: agent.id }));
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.clientSecret).toMatch(CLIENT_SECRET_PATTERN);
    expect(body.secret).toMatchObject({ status: "active", last4: body.clientSecret.slice(-4), rotatedAt: null, revokedAt: null });
    expect(Date.parse(body.secret.expiresAt) - Date.parse(body.secret.createdAt)).toBe(30 * DAY);
    const all = await listSecretsRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets`, { key: await admin() }), routeParams({ agentId: agent.id }));
    const listed = await json(all);
    expect(listed.secrets.map((s: { status: string }) => s.status)).toEqual(["active", "active"]);

    const tooLong = await createSecretRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets`, { key: await admin(), json: { expiresInDays: 366 } }), routeParams({ agentId: agent.id }));
    expect(tooLong.status).toBe(400);
    expect((await json(tooLong)).error.message).toBe("expiresInDays: must be at most 365 days");
  });

  it("rotation issues a new secret and gives the old one a grace period, audited with the ids", async () => {
    const now = new Date(Date.now() - HOUR);
    const { agent } = await makeAgent({ now: new Date(now.getTime() - 5 * DAY) });
    const [old] = await getDb().clientSecret.findMany({ where: { agentId: agent.id } });
    const r = await rotateClientSecret(getDb(), agent.id, { graceHours: 24 }, testActor, now);

    expect(r.clientSecret).toMatch(CLIENT_SECRET_PATTERN);
    expect(r.graceEndsAt).toBe(new Date(now.getTime() + 24 * HOUR).toISOString());
    expect(r.rotatedSecretIds).toEqual([old!.id]);
    const after = await getDb().clientSecret.findUniqueOrThrow({ where: { id: old!.id } });
    expect(after.rotatedAt).toEqual(now);
    expect(after.expiresAt).toEqual(new Date(now.getTime() + 24 * HOUR));
    expect(after.revokedAt).toBeNull();

    const event = await getDb().auditEvent.findFirstOrThrow({ where: { targetId: agent.id, action: "client_secret.rotate" } });
    expect(JSON.parse(event.details)).toEqual({ newSecretId: r.secret.id, last4: r.secret.last4, graceEndsAt: r.graceEndsAt, rotatedSecretIds: [old!.id] });
    expect(event.details).not.toContain(r.clientSecret);

    // in the grace period the old secret is "grace", after it "expired" (time is passed in, not slept)
    const detail = await getAgent(getDb(), agent.id, new Date(now.getTime() + 23 * HOUR));
    expect(detail.secrets.find((s) => s.id === old!.id)!.status).toBe("grace");
    const later = await getAgent(getDb(), agent.id, new Date(now.getTime() + 25 * HOUR));
    expect(later.secrets.find((s) => s.id === old!.id)!.status).toBe("expired");
    expect(later.secrets.find((s) => s.id === r.secret.id)!.status).toBe("active");
  });

  it("never extends a secret's lifetime, and does not rotate a secret twice", async () => {
    const now = new Date();
    const { agent } = await makeAgent({ now });
    const [first] = await getDb().clientSecret.findMany({ where: { agentId: agent.id } });
    // the first secret expires in an hour, sooner than the grace period would end
    await getDb().clientSecret.update({ where: { id: first!.id }, data: { expiresAt: new Date(now.getTime() + HOUR) } });

    const r1 = await rotateClientSecret(getDb(), agent.id, { graceHours: 48 }, testActor, now);
    expect(r1.rotatedSecretIds).toEqual([first!.id]);
    expect((await getDb().clientSecret.findUniqueOrThrow({ where: { id: first!.id } })).expiresAt).toEqual(new Date(now.getTime() + HOUR));

    // a second rotation replaces the first rotation's secret, and leaves the secret already in grace alone
    const later = new Date(now.getTime() + 10 * 60_000);
    const r2 = await rotateClientSecret(getDb(), agent.id, { graceHours: 0 }, testActor, later);
    expect(r2.rotatedSecretIds).toEqual([r1.secret.id]);
    const firstAfter = await getDb().clientSecret.findUniqueOrThrow({ where: { id: first!.id } });
    expect(firstAfter.rotatedAt).toEqual(now);
    expect(firstAfter.expiresAt).toEqual(new Date(now.getTime() + HOUR));
    // grace 0: the replaced secret ends at once
    const r1After = await getDb().clientSecret.findUniqueOrThrow({ where: { id: r1.secret.id } });
    expect(r1After.expiresAt).toEqual(later);
    const statuses = Object.fromEntries((await getAgent(getDb(), agent.id, later)).secrets.map((s) => [s.id, s.status]));
    expect(statuses).toEqual({ [first!.id]: "grace", [r1.secret.id]: "expired", [r2.secret.id]: "active" });
  });

  it("POST /secrets/rotate answers 201 with the new secret and the grace end; refuses a grace period over the maximum", async () => {
    const { agent } = await makeAgent();
    const key = await admin();
    const params = routeParams({ agentId: agent.id });
    const res = await rotateRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets/rotate`, { key, json: {} }), params);
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["clientSecret", "graceEndsAt", "rotatedSecretIds", "secret"]);
    expect(Date.parse(body.graceEndsAt) - Date.parse(body.secret.createdAt)).toBe(24 * HOUR);
    expect(body.rotatedSecretIds).toHaveLength(1);

    const tooLong = await rotateRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets/rotate`, { key, json: { graceHours: 721 } }), params);
    expect(tooLong.status).toBe(400);
    expect((await json(tooLong)).error.message).toBe("graceHours: must be at most 720 hours");
    const negative = await rotateRoute(apiRequest(`/api/v1/agents/${agent.id}/secrets/rotate`, { key, json: { graceHours: -1 } }), params);
    expect(negative.status).toBe(400);
    const unknown = await rotateRoute(apiRequest("/api/v1/agents/agt_nope/secrets/rotate", { key, json: {} }), routeParams({ agentId: "agt_nope" }));
    expect(unknown.status).toBe(404);
  });

  it("DELETE revokes at once; again is 409; another agent's secret is 404", async () => {
    const { agent } = await makeAgent();
    const { agent: other } = await makeAgent();
    const [secret] = await getDb().clientSecret.findMany({ where: { agentId: agent.id } });
    const key = await admin();
    const del = (agentId: string, secretId: string) =>
      revokeSecretRoute(apiRequest(`/api/v1/agents/${agentId}/secrets/${secretId}`, { method: "DELETE", key }), routeParams({ agentId, secretId }));

    const wrongAgent = await del(other.id, secret!.id);
    expect(wrongAgent.status).toBe(404);
    expect(await json(wrongAgent)).toEqual(apiError("not_found", "Client secret not found"));
    expect((await getDb().clientSecret.findUniqueOrThrow({ where: { id: secret!.id } })).revokedAt).toBeNull();

    const res = await del(agent.id, secret!.id);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: secret!.id, status: "revoked", last4: secret!.last4 });
    const again = await del(agent.id, secret!.id);
    expect(again.status).toBe(409);
    expect(await json(again)).toEqual(apiError("conflict", "This client secret is already revoked"));
    expect((await del(agent.id, "sec_nope")).status).toBe(404);

    const events = await getDb().auditEvent.findMany({ where: { targetId: agent.id, action: "client_secret.revoke" } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([{ secretId: secret!.id, last4: secret!.last4 }]);
    expect((await getAgent(getDb(), agent.id)).activeSecrets).toBe(0);
  });
});

describe("public keys (private_key_jwt)", () => {
  const post = async (agentId: string, body: unknown) =>
    addKeyRoute(apiRequest(`/api/v1/agents/${agentId}/keys`, { key: await admin(), json: body }), routeParams({ agentId }));

  it("registers an EC P-256 public key (201) with its RFC 7638 thumbprint, stores public members only, refuses it twice", async () => {
    const { agent } = await makeAgent();
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "ci-key-1", use: "sig" };
    const res = await post(agent.id, { jwk });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["alg", "createdAt", "id", "kid", "revokedAt", "thumbprint"]);
    expect(body).toMatchObject({ kid: "ci-key-1", alg: "ES256", thumbprint: await calculateJwkThumbprint(jwk), revokedAt: null });
    expect(body.id).toMatch(/^ajk_/);
    const row = await getDb().agentPublicKey.findUniqueOrThrow({ where: { id: body.id } });
    expect(JSON.parse(row.jwk)).toEqual({ alg: "ES256", crv: "P-256", kid: "ci-key-1", kty: "EC", x: jwk.x, y: jwk.y });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { targetId: agent.id, action: "agent_key.add" } });
    expect(JSON.parse(event.details)).toEqual({ keyId: body.id, kid: "ci-key-1", alg: "ES256", thumbprint: body.thumbprint });

    const dup = await post(agent.id, { jwk: { ...jwk, kid: "another-name" } });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual(apiError("conflict", "This key is already registered for this agent"));
    // another agent may register the same public key
    expect((await post((await makeAgent()).agent.id, { jwk })).status).toBe(201);
  });

  it("accepts Ed25519 (EdDSA) and RSA 2048 (RS256)", async () => {
    const { agent } = await makeAgent();
    const ed = await exportJWK((await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true })).publicKey);
    const rsa = await exportJWK((await generateKeyPair("RS256", { modulusLength: 2048, extractable: true })).publicKey);
    const edRes = await post(agent.id, { jwk: ed });
    expect(edRes.status).toBe(201);
    expect((await json(edRes)).alg).toBe("EdDSA");
    const rsaRes = await post(agent.id, { jwk: rsa, alg: "RS256" });
    expect(rsaRes.status).toBe(201);
    expect((await json(rsaRes)).alg).toBe("RS256");
  });

  it.each<[string, () => Promise<unknown>, string, string]>([
    [
      "a private EC key",
      async () => ({ jwk: await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey) }),
      "jwk",
      "carries private key material (d); register the public key only",
    ],
    [
      "a private RSA key",
      async () => ({ jwk: await exportJWK((await generateKeyPair("RS256", { extractable: true })).privateKey) }),
      "jwk",
      "carries private key material (d, p, q, dp, dq, qi); register the public key only",
    ],
    ["a symmetric key", async () => ({ jwk: { kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0" } }), "jwk.kty", "symmetric keys (oct) are not accepted; register a public key"],
    [
      "RSA 1024",
      async () => ({ jwk: await exportJWK(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey) }),
      "jwk.n",
      "RSA keys must have at least 2048 bits (this one has 1024)",
    ],
    [
      "alg none in the JWK",
      async () => ({ jwk: { ...(await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey)), alg: "none" } }),
      "jwk.alg",
      "none and HMAC algorithms are not accepted",
    ],
    [
      "HS256 on an RSA key",
      async () => ({ jwk: { ...(await exportJWK((await generateKeyPair("RS256", { extractable: true })).publicKey)), alg: "HS256" } }),
      "jwk.alg",
      "none and HMAC algorithms are not accepted",
    ],
    [
      "an alg that does not fit the key",
      async () => ({ jwk: await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey), alg: "RS256" }),
      "alg",
      "this EC key signs with ES256, not RS256",
    ],
    ["a P-384 key", async () => ({ jwk: await exportJWK((await generateKeyPair("ES384", { extractable: true })).publicKey) }), "jwk.crv", "only P-256 EC keys are accepted (ES256)"],
    [
      "a point that is not on the curve",
      async () => {
        const jwk = await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey);
        return { jwk: { ...jwk, y: jwk.x } };
      },
      "jwk",
      "is not a valid ES256 public key",
    ],
    ["no kty", async () => ({ jwk: { x: "abc" } }), "jwk.kty", "is required"],
  ])("refuses %s with 400", async (_, input, path, message) => {
    const { agent } = await makeAgent();
    const res = await post(agent.id, await input());
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(apiError("validation_failed", `${path}: ${message}`, [{ path, message }]));
    expect(await getDb().agentPublicKey.count({ where: { agentId: agent.id } })).toBe(0);
  });

  it("refuses alg none as the requested algorithm, and a JWK that is not an object", async () => {
    const { agent } = await makeAgent();
    const none = await post(agent.id, { jwk: { kty: "EC" }, alg: "none" });
    expect(none.status).toBe(400);
    expect((await json(none)).error.message).toBe("alg: must be one of ES256, EdDSA, RS256");
    const notObject = await post(agent.id, { jwk: "eyJ..." });
    expect(notObject.status).toBe(400);
    expect((await json(notObject)).error.message).toBe("jwk: must be a JSON Web Key object");
  });

  it("revokes a key once; lists keys; another agent's key is 404", async () => {
    const { agent } = await makeAgent();
    const { agent: other } = await makeAgent();
    const jwk = await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey);
    const added = await addPublicKey(getDb(), agent.id, { jwk }, testActor);
    const key = await admin();
    const del = (agentId: string, keyId: string) =>
      revokeKeyRoute(apiRequest(`/api/v1/agents/${agentId}/keys/${keyId}`, { method: "DELETE", key }), routeParams({ agentId, keyId }));

    expect((await del(other.id, added.id)).status).toBe(404);
    const res = await del(agent.id, added.id);
    expect(res.status).toBe(200);
    expect((await json(res)).revokedAt).not.toBeNull();
    const again = await del(agent.id, added.id);
    expect(again.status).toBe(409);
    expect(await json(again)).toEqual(apiError("conflict", "This public key is already revoked"));

    const list = await listKeysRoute(apiRequest(`/api/v1/agents/${agent.id}/keys`, { key }), routeParams({ agentId: agent.id }));
    expect((await json(list)).publicKeys).toEqual([expect.objectContaining({ id: added.id, alg: "ES256" })]);
    const events = await getDb().auditEvent.findMany({ where: { targetId: agent.id, action: { startsWith: "agent_key." } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action).sort()).toEqual(["agent_key.add", "agent_key.revoke"]);
  });
});
