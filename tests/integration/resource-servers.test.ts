// Resource servers (the tools and MCP servers that ask for decisions), through the use cases and the real
// /api/v1/resource-servers route handlers: registration with a secret shown once, admin-only access, rotation with a
// grace period, revocation, disable/enable, and authenticateResourceServer for Bearer and Basic credentials. Every
// refusal is the same 401. Time is passed in, never slept.
import { describe, expect, it } from "vitest";
import { POST as disableRoute } from "@/app/api/v1/resource-servers/[serverId]/disable/route";
import { POST as enableRoute } from "@/app/api/v1/resource-servers/[serverId]/enable/route";
import { GET as getServerRoute } from "@/app/api/v1/resource-servers/[serverId]/route";
import { DELETE as revokeSecretRoute } from "@/app/api/v1/resource-servers/[serverId]/secrets/[secretId]/route";
import { POST as rotateRoute } from "@/app/api/v1/resource-servers/[serverId]/secrets/rotate/route";
import { GET as listServersRoute, POST as createServerRoute } from "@/app/api/v1/resource-servers/route";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { authenticateResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { RESOURCE_SERVER_SECRET_PATTERN } from "@/lib/resource-servers/format";
import { revokeResourceServerSecret } from "@/lib/resource-servers/revoke-resource-server-secret";
import { rotateResourceServerSecret } from "@/lib/resource-servers/rotate-resource-server-secret";
import { testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession, DAY, HOUR } from "./authz-helpers";

const db = () => getDb();
const audience = () => `https://mcp-${uniqueTag()}.acme.test/github`;
const bearer = (secret: string) => `Bearer ${secret}`;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

async function makeServer(now?: Date) {
  return createResourceServer(db(), { name: `github mcp ${uniqueTag()}`, audience: audience() }, testActor, now);
}

/** authenticateResourceServer's one refusal: 401, the same message whatever went wrong, and a challenge. */
async function expectRefused(authorization: string | null, now?: Date) {
  const e = await authenticateResourceServer(db(), authorization, now).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect(e).toMatchObject({ code: "unauthorized", status: 401, message: "Invalid resource server credentials" });
  expect((e as AppError).headers).toEqual({ "WWW-Authenticate": 'Bearer realm="deputy", Basic realm="deputy"' });
}

describe("POST /api/v1/resource-servers", () => {
  it("registers a server (201) with a dpr_ secret shown once; only its hash is stored; audited without it", async () => {
    const key = await adminKey();
    const aud = audience();
    const res = await createServerRoute(apiRequest("/api/v1/resource-servers", { key, json: { name: "GitHub MCP", audience: aud, description: "Tools for GitHub" } }));
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["resourceServer", "secret"]);
    expect(body.secret).toMatch(RESOURCE_SERVER_SECRET_PATTERN);
    expect(body.resourceServer).toMatchObject({ name: "GitHub MCP", audience: aud, description: "Tools for GitHub", status: "active", activeSecrets: 1 });
    expect(body.resourceServer.id).toMatch(/^rsv_[0-9a-z]{26}$/);
    const [secret] = body.resourceServer.secrets;
    expect(secret).toMatchObject({ last4: body.secret.slice(-4), status: "active", revokedAt: null });
    expect(Date.parse(secret.expiresAt) - Date.parse(secret.createdAt)).toBe(365 * DAY);

    const row = await db().resourceServerSecret.findUniqueOrThrow({ where: { id: secret.id } });
    expect(row.hash).toBe(hashSecret(body.secret));
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "resource_server.create", targetId: body.resourceServer.id } });
    expect(event.details).not.toContain(body.secret);
    expect(JSON.parse(event.details)).toEqual({ name: "GitHub MCP", audience: aud, secretId: secret.id, last4: secret.last4, expiresAt: secret.expiresAt });

    // listed and read without the secret
    const list = await json(await listServersRoute(apiRequest("/api/v1/resource-servers", { key })));
    expect(list.resourceServers.find((s: { id: string }) => s.id === body.resourceServer.id)).toMatchObject({ activeSecrets: 1 });
    const one = await getServerRoute(apiRequest(`/api/v1/resource-servers/${body.resourceServer.id}`, { key }), routeParams({ serverId: body.resourceServer.id }));
    expect(JSON.stringify(await json(one))).not.toContain(body.secret);

    const dup = await createServerRoute(apiRequest("/api/v1/resource-servers", { key, json: { name: "again", audience: aud } }));
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual(apiError("conflict", `A resource server with audience ${aud} already exists`));
  });

  it.each([["not a uri"], ["/relative/path"], ["https://mcp.acme.test/x#frag"]])("refuses the audience %s with 400", async (aud) => {
    const res = await createServerRoute(apiRequest("/api/v1/resource-servers", { key: await adminKey(), json: { name: "x", audience: aud } }));
    expect(res.status).toBe(400);
    const message = "must be an absolute URI without a fragment, e.g. https://mcp.example.com";
    expect(await json(res)).toEqual(apiError("validation_failed", `audience: ${message}`, [{ path: "audience", message }]));
  });

  it("is for admins only, reads included", async () => {
    const { resourceServer } = await makeServer();
    for (const role of ["approver", "auditor", "viewer"] as const) {
      const { session, headers } = await consoleSession(role);
      const list = await listServersRoute(apiRequest("/api/v1/resource-servers", { session }));
      expect(list.status).toBe(403);
      expect(await json(list)).toEqual(apiError("forbidden", "Your role may not do this"));
      expect((await getServerRoute(apiRequest(`/api/v1/resource-servers/${resourceServer.id}`, { session }), routeParams({ serverId: resourceServer.id }))).status).toBe(403);
      expect((await createServerRoute(apiRequest("/api/v1/resource-servers", { session, headers, json: { name: "x", audience: audience() } }))).status).toBe(403);
    }
  });
});

describe("authenticateResourceServer", () => {
  it("accepts its secret as Bearer or as Basic id:secret, and records the last use", async () => {
    const { resourceServer, secret } = await makeServer();
    const expected = { id: resourceServer.id, name: resourceServer.name, audience: resourceServer.audience, secretId: resourceServer.secrets[0]!.id };
    expect(await authenticateResourceServer(db(), bearer(secret))).toEqual(expected);
    expect(await authenticateResourceServer(db(), basic(resourceServer.id, secret))).toEqual(expected);
    expect((await db().resourceServerSecret.findUniqueOrThrow({ where: { id: expected.secretId } })).lastUsedAt).not.toBeNull();
  });

  it("refuses missing, malformed, unknown, wrong-prefix and another server's credentials alike (401)", async () => {
    const a = await makeServer();
    const b = await makeServer();
    await expectRefused(null);
    await expectRefused("");
    await expectRefused(`Token ${a.secret}`);
    await expectRefused(bearer(`dpr_${"A".repeat(43)}`));
    // a client secret or an API key is not a resource server secret, even with a valid shape
    await expectRefused(bearer(`dps_${a.secret.slice(4)}`));
    await expectRefused(bearer(`dpk_${a.secret.slice(4)}`));
    await expectRefused(bearer(a.secret.slice(0, -1)));
    // a valid secret presented for another server's id
    await expectRefused(basic(b.resourceServer.id, a.secret));
    await expectRefused(basic(a.resourceServer.id, ""));
  });

  it("refuses a revoked secret at once, and an expired one", async () => {
    const t0 = new Date();
    const { resourceServer, secret } = await makeServer(t0);
    await expectRefused(bearer(secret), new Date(t0.getTime() + 365 * DAY));
    await revokeResourceServerSecret(db(), resourceServer.id, resourceServer.secrets[0]!.id, testActor);
    await expectRefused(bearer(secret));
  });

  it("after a rotation, the old secret works through the grace period and not after it", async () => {
    const t0 = new Date();
    const { resourceServer, secret: old } = await makeServer(t0);
    const r = await rotateResourceServerSecret(db(), resourceServer.id, {}, testActor, t0);
    expect(r.secret).toMatch(RESOURCE_SERVER_SECRET_PATTERN);
    expect(r.graceEndsAt).toBe(new Date(t0.getTime() + 24 * HOUR).toISOString());
    expect(r.rotatedSecretIds).toEqual([resourceServer.secrets[0]!.id]);
    const within = new Date(t0.getTime() + 23 * HOUR);
    expect((await authenticateResourceServer(db(), bearer(old), within)).id).toBe(resourceServer.id);
    expect((await authenticateResourceServer(db(), bearer(r.secret), within)).id).toBe(resourceServer.id);
    const after = new Date(t0.getTime() + 24 * HOUR);
    await expectRefused(bearer(old), after);
    expect((await authenticateResourceServer(db(), bearer(r.secret), after)).secretId).toBe(r.secretInfo.id);

    // rotation never extends a lifetime: a second rotation leaves the first old secret's cut expiry alone
    const r2 = await rotateResourceServerSecret(db(), resourceServer.id, { graceHours: 48 }, testActor, new Date(t0.getTime() + HOUR));
    expect(r2.rotatedSecretIds).toEqual([r.secretInfo.id]);
    expect((await db().resourceServerSecret.findUniqueOrThrow({ where: { id: resourceServer.secrets[0]!.id } })).expiresAt.toISOString()).toBe(r.graceEndsAt);

    // graceHours 0 ends the others at once
    const r3 = await rotateResourceServerSecret(db(), resourceServer.id, { graceHours: 0 }, testActor);
    await expectRefused(bearer(r2.secret));
    expect((await authenticateResourceServer(db(), bearer(r3.secret))).id).toBe(resourceServer.id);
  });

  it("refuses every secret of a disabled server until it is enabled again", async () => {
    const { resourceServer, secret } = await makeServer();
    const key = await adminKey();
    const params = routeParams({ serverId: resourceServer.id });
    const off = await disableRoute(apiRequest(`/api/v1/resource-servers/${resourceServer.id}/disable`, { method: "POST", key }), params);
    expect(off.status).toBe(200);
    expect(await json(off)).toMatchObject({ status: "disabled" });
    await expectRefused(bearer(secret));
    const twice = await disableRoute(apiRequest(`/api/v1/resource-servers/${resourceServer.id}/disable`, { method: "POST", key }), params);
    expect(twice.status).toBe(409);
    expect(await json(twice)).toEqual(apiError("conflict", "This resource server is already disabled"));
    const on = await enableRoute(apiRequest(`/api/v1/resource-servers/${resourceServer.id}/enable`, { method: "POST", key }), params);
    expect(on.status).toBe(200);
    expect((await authenticateResourceServer(db(), bearer(secret))).id).toBe(resourceServer.id);
    const again = await enableRoute(apiRequest(`/api/v1/resource-servers/${resourceServer.id}/enable`, { method: "POST", key }), params);
    expect(await json(again)).toEqual(apiError("conflict", "This resource server is already enabled"));
    expect(await db().auditEvent.count({ where: { targetId: resourceServer.id, action: { in: ["resource_server.disable", "resource_server.enable"] } } })).toBe(2);
  });
});

describe("secrets over the API", () => {
  it("rotates (201, the new secret once) and revokes (409 the second time, 404 for another server's secret)", async () => {
    const a = await makeServer();
    const b = await makeServer();
    const key = await adminKey();
    const res = await rotateRoute(
      apiRequest(`/api/v1/resource-servers/${a.resourceServer.id}/secrets/rotate`, { key, json: { graceHours: 1 } }),
      routeParams({ serverId: a.resourceServer.id }),
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["graceEndsAt", "rotatedSecretIds", "secret", "secretInfo"]);
    expect(body.secret).toMatch(RESOURCE_SERVER_SECRET_PATTERN);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "resource_server.rotate_secret", targetId: a.resourceServer.id } });
    expect(event.details).not.toContain(body.secret);

    const oldId = a.resourceServer.secrets[0]!.id;
    const revoke = (serverId: string, secretId: string) =>
      revokeSecretRoute(apiRequest(`/api/v1/resource-servers/${serverId}/secrets/${secretId}`, { method: "DELETE", key }), routeParams({ serverId, secretId }));
    const other = await revoke(b.resourceServer.id, oldId);
    expect(other.status).toBe(404);
    expect(await json(other)).toEqual(apiError("not_found", "Resource server secret not found"));
    const ok = await revoke(a.resourceServer.id, oldId);
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ id: oldId, status: "revoked" });
    const twice = await revoke(a.resourceServer.id, oldId);
    expect(twice.status).toBe(409);
    expect(await json(twice)).toEqual(apiError("conflict", "This secret is already revoked"));
    await expectRefused(bearer(a.secret));
    expect((await authenticateResourceServer(db(), bearer(body.secret))).id).toBe(a.resourceServer.id);
  });
});
