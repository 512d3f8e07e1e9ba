// Deputy as an OAuth 2.0 authorization server, driven by an independent standard client (oauth4webapi): discovery,
// client_credentials with each client authentication method, JWT verification through the published JWKS (jose),
// introspection and revocation.
import * as jose from "jose";
import * as oauth from "oauth4webapi";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CHECK_INTERVAL_MS, credentialsChanged, invalidateLocalCredentials } from "@/lib/agents/credential-cache";
import { revokeClientSecret } from "@/lib/agents/revoke-client-secret";
import { rotateClientSecret } from "@/lib/agents/rotate-client-secret";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { getDb } from "@/lib/db/client";
import { issuer } from "@/lib/oauth/issuer";
import { testActor } from "../helpers/factories";
import { basicAuth, deputyFetch, formRequest, makeAgent, makeAgentKey } from "../helpers/oauth";
import { POST as tokenRoute } from "@/app/oauth/token/route";

const opts = { [oauth.customFetch]: deputyFetch, [oauth.allowInsecureRequests]: true } as const;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  const url = new URL(issuer());
  as = await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { ...opts, algorithm: "oauth2" }));
});

async function verifyWithJwks(token: string) {
  const jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri!), { [jose.customFetch]: deputyFetch });
  return jose.jwtVerify(token, jwks, { issuer: as.issuer, algorithms: ["ES256"], typ: "at+jwt" });
}

async function clientCredentials(clientId: string, auth: oauth.ClientAuth, params: Record<string, string> = {}) {
  const client = { client_id: clientId };
  const res = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(params), opts);
  return oauth.processClientCredentialsResponse(as, client, res);
}

describe("discovery (RFC 8414)", () => {
  it("publishes the endpoints, grants and client authentication methods", () => {
    expect(as.issuer).toBe("http://localhost:3000");
    expect(as.token_endpoint).toBe("http://localhost:3000/oauth/token");
    expect(as.jwks_uri).toBe("http://localhost:3000/.well-known/jwks.json");
    expect(as.introspection_endpoint).toBe("http://localhost:3000/oauth/introspect");
    expect(as.revocation_endpoint).toBe("http://localhost:3000/oauth/revoke");
    expect(as.grant_types_supported).toContain("client_credentials");
    expect(as.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post", "private_key_jwt"]);
  });
});

describe("client_credentials", () => {
  it("client_secret_basic: an ES256 JWT with the RFC claims, verified through the JWKS", async () => {
    const { clientId, clientSecret } = await makeAgent({ scopes: ["github.read", "github.push"] });
    const result = await clientCredentials(clientId, oauth.ClientSecretBasic(clientSecret), { scope: "github.read", resource: "https://mcp.example.com/" });
    expect(result.token_type).toBe("bearer"); // oauth4webapi lower-cases it
    expect(result.expires_in).toBe(600);
    expect(result.scope).toBe("github.read");
    const { payload, protectedHeader } = await verifyWithJwks(result.access_token);
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    expect(payload).toMatchObject({ iss: "http://localhost:3000", sub: clientId, client_id: clientId, aud: "https://mcp.example.com/", scope: "github.read" });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.jti).toMatch(/^tok_/);
  });

  it("client_secret_post works, and without a scope the token gets every allowed tool", async () => {
    const { clientId, clientSecret } = await makeAgent({ scopes: ["a.read", "b.write"] });
    const result = await clientCredentials(clientId, oauth.ClientSecretPost(clientSecret));
    expect(result.scope).toBe("a.read b.write");
    const { payload } = await verifyWithJwks(result.access_token);
    expect(payload.aud).toBe("http://localhost:3000");
  });

  it.each(["ES256", "EdDSA", "RS256"] as const)("private_key_jwt with an %s key (oauth4webapi signs Ed25519 keys as alg Ed25519)", async (alg) => {
    const { clientId } = await makeAgent();
    const key = await makeAgentKey(clientId, alg);
    const result = await clientCredentials(clientId, oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }), { scope: "github.push" });
    const { payload } = await verifyWithJwks(result.access_token);
    expect(payload.sub).toBe(clientId);
  });

  it("writes a token.issue audit event naming the agent, the scope and the jti, never the token", async () => {
    const { clientId, clientSecret } = await makeAgent();
    const result = await clientCredentials(clientId, oauth.ClientSecretBasic(clientSecret), { scope: "github.read" });
    const { payload } = await verifyWithJwks(result.access_token);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "token.issue", targetId: clientId } });
    expect(JSON.parse(event.details)).toMatchObject({ jti: payload.jti, scope: "github.read", auth: "client_secret_basic" });
    expect(event.details).not.toContain(result.access_token.split(".")[2]);
  });

  it("answers with Cache-Control: no-store", async () => {
    const { clientId, clientSecret } = await makeAgent();
    const res = await tokenRoute(formRequest("/oauth/token", "grant_type=client_credentials", { authorization: basicAuth(clientId, clientSecret) }));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
  });

  it("rotation: both secrets work during the grace period; the old one stops after it", async () => {
    const { clientId, clientSecret: oldSecret, agent } = await makeAgent();
    const now = new Date();
    const rotated = await rotateClientSecret(getDb(), agent.id, { graceHours: 24 }, testActor, now);
    await clientCredentials(clientId, oauth.ClientSecretBasic(oldSecret));
    await clientCredentials(clientId, oauth.ClientSecretBasic(rotated.clientSecret));
    // end of grace: the old secret's expiry was cut to graceEndsAt; move it into the past rather than sleeping
    await getDb().clientSecret.updateMany({ where: { agentId: agent.id, rotatedAt: { not: null } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    invalidateLocalCredentials(); // a direct database edit bypasses the use cases that keep the credential cache right
    await expect(clientCredentials(clientId, oauth.ClientSecretBasic(oldSecret))).rejects.toMatchObject({ status: 401 });
    await clientCredentials(clientId, oauth.ClientSecretBasic(rotated.clientSecret));
  });

  it("a revoked secret and a suspended agent get invalid_client", async () => {
    const a = await makeAgent();
    const secrets = await getDb().clientSecret.findMany({ where: { agentId: a.clientId } });
    await revokeClientSecret(getDb(), a.clientId, secrets[0]!.id, testActor);
    await expect(clientCredentials(a.clientId, oauth.ClientSecretBasic(a.clientSecret))).rejects.toMatchObject({ status: 401 });

    const b = await makeAgent();
    await clientCredentials(b.clientId, oauth.ClientSecretBasic(b.clientSecret));
    await suspendAgent(getDb(), b.clientId, testActor);
    await expect(clientCredentials(b.clientId, oauth.ClientSecretBasic(b.clientSecret))).rejects.toMatchObject({ status: 401 });
  });
});

describe("introspection (RFC 7662) and revocation (RFC 7009)", () => {
  it("an introspecting agent sees an active token with its claims, then inactive once revoked by its owner", async () => {
    const rs = await makeAgent({ canIntrospect: true });
    const agent = await makeAgent();
    const { access_token } = await clientCredentials(agent.clientId, oauth.ClientSecretBasic(agent.clientSecret), { scope: "github.read" });

    const introspect = async () =>
      oauth.processIntrospectionResponse(
        as,
        { client_id: rs.clientId },
        await oauth.introspectionRequest(as, { client_id: rs.clientId }, oauth.ClientSecretBasic(rs.clientSecret), access_token, opts),
      );
    expect(await introspect()).toMatchObject({ active: true, client_id: agent.clientId, sub: agent.clientId, scope: "github.read", token_type: "Bearer" });

    const revoke = await oauth.revocationRequest(as, { client_id: agent.clientId }, oauth.ClientSecretBasic(agent.clientSecret), access_token, opts);
    await oauth.processRevocationResponse(revoke);
    expect(await introspect()).toEqual({ active: false });
    expect(await getDb().auditEvent.count({ where: { action: "token.revoke", targetId: agent.clientId } })).toBe(1);
  });

  it("suspending the agent makes its live tokens inactive at once", async () => {
    const rs = await makeAgent({ canIntrospect: true });
    const agent = await makeAgent();
    const { access_token } = await clientCredentials(agent.clientId, oauth.ClientSecretBasic(agent.clientSecret));
    const body = (token: string) => formRequest("/oauth/introspect", `token=${token}`, { authorization: basicAuth(rs.clientId, rs.clientSecret) });
    const { POST } = await import("@/app/oauth/introspect/route");
    expect((await (await POST(body(access_token))).json()).active).toBe(true);
    await suspendAgent(getDb(), agent.clientId, testActor);
    expect(await (await POST(body(access_token))).json()).toEqual({ active: false });
  });

  it("an agent may not revoke another agent's token (200, and the token stays active)", async () => {
    const rs = await makeAgent({ canIntrospect: true });
    const owner = await makeAgent();
    const other = await makeAgent();
    const { access_token } = await clientCredentials(owner.clientId, oauth.ClientSecretBasic(owner.clientSecret));
    const revoke = await oauth.revocationRequest(as, { client_id: other.clientId }, oauth.ClientSecretBasic(other.clientSecret), access_token, opts);
    await oauth.processRevocationResponse(revoke);
    const res = await oauth.introspectionRequest(as, { client_id: rs.clientId }, oauth.ClientSecretBasic(rs.clientSecret), access_token, opts);
    expect((await oauth.processIntrospectionResponse(as, { client_id: rs.clientId }, res)).active).toBe(true);
  });
});

describe("the credential cache across instances", () => {
  afterEach(() => vi.useRealTimers());

  it("a suspension committed by another instance takes effect here within the check interval", async () => {
    const agent = await makeAgent();
    await clientCredentials(agent.clientId, oauth.ClientSecretBasic(agent.clientSecret)); // now cached here
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    // another instance suspends: its transaction changes the row and moves the shared counter; nothing local is told
    await getDb().$transaction(async (tx) => {
      await tx.agent.update({ where: { id: agent.clientId }, data: { status: "suspended", tokenEpoch: { increment: 1 } } });
      await credentialsChanged(tx);
    });
    vi.advanceTimersByTime(CHECK_INTERVAL_MS + 1);
    await expect(clientCredentials(agent.clientId, oauth.ClientSecretBasic(agent.clientSecret))).rejects.toMatchObject({ status: 401 });
  });
});
