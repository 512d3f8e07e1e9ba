// Dynamic client registration (RFC 7591) at POST /oauth/register, through the real route handlers: initial access
// tokens an admin issues (API, CLI), the registration's errors exactly as the RFC spells them, the pending agent it
// creates (no token until an admin activates it), and an audit trail with no secret in it.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as activateRoute } from "@/app/api/v1/agents/[agentId]/activate/route";
import { DELETE as revokeIatRoute } from "@/app/api/v1/initial-access-tokens/[tokenId]/route";
import { GET as listIatRoute, POST as issueIatRoute } from "@/app/api/v1/initial-access-tokens/route";
import { POST as registerRoute } from "@/app/oauth/register/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { getDb } from "@/lib/db/client";
import { issueInitialAccessToken } from "@/lib/dcr/issue-initial-access-token";
import { makeApiKey, makeUser, uniqueAddress, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, BASE_URL, json, routeParams } from "../helpers/http";
import { basicAuth, formRequest } from "../helpers/oauth";
import { consoleSession } from "./authz-helpers";
import { deputy } from "../helpers/cli";

const HOUR = 3_600_000;
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const INVALID_TOKEN = "The initial access token is missing, invalid, expired, revoked or already used";

/** An admin's console session issues a token through the API: the agent it registers will be that admin's. */
async function issueAsAdmin(body: Record<string, unknown> = {}) {
  const admin = await consoleSession("admin");
  const res = await issueIatRoute(apiRequest("/api/v1/initial-access-tokens", { session: admin.session, headers: admin.headers, json: body }));
  expect(res.status).toBe(201);
  const created = (await json(res)) as { initialAccessToken: { id: string; last4: string; status: string; owner: { id: string } }; token: string };
  return { admin, ...created };
}

async function register(metadata: unknown, iat: string | null, opts: { raw?: string; contentType?: string; ip?: string } = {}) {
  const headers: Record<string, string> = { "content-type": opts.contentType ?? "application/json", "x-forwarded-for": opts.ip ?? uniqueAddress() };
  if (iat !== null) headers.authorization = `Bearer ${iat}`;
  const res = await registerRoute(new Request(`${BASE_URL}/oauth/register`, { method: "POST", headers, body: opts.raw ?? JSON.stringify(metadata) }));
  return { status: res.status, headers: res.headers, body: (await json(res)) as Record<string, any> };
}

async function clientCredentials(clientId: string, secret: string) {
  const res = await tokenRoute(formRequest("/oauth/token", "grant_type=client_credentials", { authorization: basicAuth(clientId, secret) }));
  return { status: res.status, body: (await json(res)) as Record<string, any> };
}

async function activate(agentId: string, as: { session: string; headers: Record<string, string> }) {
  const res = await activateRoute(apiRequest(`/api/v1/agents/${agentId}/activate`, { method: "POST", session: as.session, headers: as.headers }), routeParams({ agentId }));
  return { status: res.status, body: await json(res) };
}

const m2m = (extra: Record<string, unknown> = {}) => ({
  client_name: `dcr-bot-${uniqueTag()}`,
  grant_types: ["client_credentials"],
  scope: "github.read github.push",
  ...extra,
});

describe("initial access tokens", () => {
  it("an admin issues one (shown once, dpi_), lists it by its last four characters, and revokes it", async () => {
    const { admin, initialAccessToken, token } = await issueAsAdmin({ expiresInHours: 2 });
    expect(token).toMatch(/^dpi_[A-Za-z0-9_-]{43}$/);
    expect(initialAccessToken).toMatchObject({ status: "active", last4: token.slice(-4), owner: { id: admin.user.id, email: admin.user.email } });
    const row = await getDb().initialAccessToken.findUniqueOrThrow({ where: { id: initialAccessToken.id } });
    expect(row.hash).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(2 * HOUR);

    const listed = await json(await listIatRoute(apiRequest("/api/v1/initial-access-tokens", { session: admin.session })));
    const mine = listed.initialAccessTokens.find((t: { id: string }) => t.id === initialAccessToken.id);
    expect(mine).toMatchObject({ last4: token.slice(-4), status: "active" });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(JSON.stringify(listed)).not.toContain(row.hash);

    const revoke = () =>
      revokeIatRoute(
        apiRequest(`/api/v1/initial-access-tokens/${initialAccessToken.id}`, { method: "DELETE", session: admin.session, headers: admin.headers }),
        routeParams({ tokenId: initialAccessToken.id }),
      );
    const revoked = await revoke();
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).status).toBe("revoked");
    expect(await json(await revoke())).toEqual(apiError("conflict", "This initial access token is already revoked"));

    const r = await register(m2m(), token);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: "invalid_token", error_description: INVALID_TOKEN });
  });

  it("is for admins only; an API key must name the owner of the agent it will register", async () => {
    const viewer = await consoleSession("viewer");
    const refused = await issueIatRoute(apiRequest("/api/v1/initial-access-tokens", { session: viewer.session, headers: viewer.headers, json: {} }));
    expect(refused.status).toBe(403);

    const { key } = await makeApiKey();
    const noOwner = await issueIatRoute(apiRequest("/api/v1/initial-access-tokens", { key, json: {} }));
    expect(await json(noOwner)).toEqual(
      apiError("validation_failed", "owner: is required when an API key or the CLI issues the token", [
        { path: "owner", message: "is required when an API key or the CLI issues the token" },
      ]),
    );
    const { user } = await makeUser({ role: "admin" });
    const withOwner = await issueIatRoute(apiRequest("/api/v1/initial-access-tokens", { key, json: { owner: user.email, expiresInHours: 1 } }));
    expect(withOwner.status).toBe(201);
    expect((await json(withOwner)).initialAccessToken.owner).toEqual({ id: user.id, email: user.email });
    expect((await issueIatRoute(apiRequest("/api/v1/initial-access-tokens", { key, json: { owner: user.email, expiresInHours: 24 * 31 } }))).status).toBe(400);
  });
});

describe("POST /oauth/register", () => {
  it("is advertised in the authorization server metadata", async () => {
    expect((await json(metadataRoute())).registration_endpoint).toBe(`${BASE_URL}/oauth/register`);
  });

  it("registers a pending agent owned by the token's admin; it gets no token until an admin activates it", async () => {
    const { admin, token, initialAccessToken } = await issueAsAdmin();
    const metadata = m2m({ token_endpoint_auth_method: "client_secret_basic", client_uri: "https://ignored.example" });
    const before = Math.floor(Date.now() / 1000);
    const r = await register(metadata, token);
    expect(r.status).toBe(201);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(r.body).toEqual({
      client_id: expect.stringMatching(/^agt_/),
      client_secret: expect.stringMatching(/^dps_[A-Za-z0-9_-]{43}$/),
      client_id_issued_at: expect.any(Number),
      client_secret_expires_at: expect.any(Number),
      client_name: metadata.client_name,
      grant_types: ["client_credentials"],
      response_types: [],
      token_endpoint_auth_method: "client_secret_basic",
      scope: "github.push github.read",
    });
    expect(r.body.client_id_issued_at).toBeGreaterThanOrEqual(before);
    expect(r.body.client_secret_expires_at - r.body.client_id_issued_at).toBe(90 * 24 * 3600);

    const clientId = r.body.client_id as string;
    const agent = await getDb().agent.findUniqueOrThrow({ where: { id: clientId } });
    expect(agent).toMatchObject({ status: "pending", ownerId: admin.user.id, kind: "autonomous", allowedScopes: "github.push github.read", redirectUris: "" });
    expect((await getDb().initialAccessToken.findUniqueOrThrow({ where: { id: initialAccessToken.id } })).usedAt).not.toBeNull();

    // pending: the secret is right, the answer is still no
    const pending = await clientCredentials(clientId, r.body.client_secret);
    expect(pending).toEqual({ status: 401, body: { error: "invalid_client", error_description: "Client authentication failed" } });
    const failure = await getDb().auditEvent.findFirstOrThrow({ where: { action: "client.authenticate", actorId: clientId }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(failure.details)).toMatchObject({ reason: "agent_pending" });

    // only an admin activates, once
    const viewer = await consoleSession("viewer");
    expect((await activate(clientId, viewer)).status).toBe(403);
    const activated = await activate(clientId, admin);
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ id: clientId, status: "active" });
    expect((await activate(clientId, admin)).body).toEqual(apiError("conflict", "This agent is active, not pending activation"));
    expect((await activate("agt_nobody", admin)).status).toBe(404);

    const issued = await clientCredentials(clientId, r.body.client_secret);
    expect(issued.status).toBe(200);
    expect(issued.body.scope.split(" ").sort()).toEqual(["github.push", "github.read"]);

    // the same initial access token registers nothing more
    const again = await register(m2m(), token);
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ error: "invalid_token", error_description: INVALID_TOKEN });
    expect(again.headers.get("www-authenticate")).toBe(`Bearer realm="deputy", error="invalid_token", error_description="${INVALID_TOKEN}"`);
  });

  it("refuses a missing, unknown, expired or malformed initial access token", async () => {
    const none = await register(m2m(), null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="deputy"');
    expect(none.body.error).toBe("invalid_token");

    expect((await register(m2m(), `dpi_${"A".repeat(43)}`)).body).toEqual({ error: "invalid_token", error_description: INVALID_TOKEN });
    expect((await register(m2m(), "not-a-token")).status).toBe(401);
    // an admin API key is no initial access token
    expect((await register(m2m(), (await makeApiKey()).key)).status).toBe(401);

    const { user } = await makeUser({ role: "admin" });
    const past = new Date(Date.now() - 2 * HOUR);
    const expired = await issueInitialAccessToken(getDb(), { owner: user.id, expiresInHours: 1 }, { type: "user", id: user.id, label: user.email }, past);
    expect((await json(await listIatRoute(apiRequest("/api/v1/initial-access-tokens", { key: (await makeApiKey()).key })))).initialAccessTokens).toContainEqual(
      expect.objectContaining({ id: expired.initialAccessToken.id, status: "expired" }),
    );
    const r = await register(m2m(), expired.token);
    expect(r.status).toBe(401);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "client.register", targetId: expired.initialAccessToken.id } });
    expect(event.result).toBe("failure");
    expect(JSON.parse(event.details)).toEqual({ reason: "token_expired" });
  });

  it("answers bad metadata with RFC 7591 errors, and does not use up the token", async () => {
    const { token } = await issueAsAdmin();
    const cases: [unknown, number, string, string][] = [
      [{ grant_types: ["client_credentials"] }, 400, "invalid_client_metadata", "client_name: is required: Deputy names every agent"],
      [m2m({ grant_types: ["password"] }), 400, "invalid_client_metadata", "grant_types: password is not supported (use client_credentials, authorization_code, urn:ietf:params:oauth:grant-type:token-exchange)"],
      [m2m({ grant_types: [] }), 400, "invalid_client_metadata", "grant_types: must not be empty"],
      [{ client_name: "web" }, 400, "invalid_redirect_uri", "redirect_uris: the authorization_code grant type needs at least one redirect URI"],
      [{ client_name: "web", redirect_uris: ["http://app.example.com/cb"] }, 400, "invalid_redirect_uri", "redirect_uris.0: must use https (http only on a loopback address)"],
      [{ client_name: "web", redirect_uris: ["https://app.example.com/cb#x"] }, 400, "invalid_redirect_uri", "redirect_uris.0: must not contain a fragment"],
      [{ client_name: "web", redirect_uris: ["/cb"] }, 400, "invalid_redirect_uri", "redirect_uris.0: is not an absolute URI"],
      [{ client_name: "web", redirect_uris: "https://app.example.com/cb" }, 400, "invalid_redirect_uri", "redirect_uris: Invalid input: expected array, received string"],
      [m2m({ redirect_uris: ["https://app.example.com/cb"] }), 400, "invalid_redirect_uri", "redirect_uris: only clients of the authorization_code grant type have redirect URIs"],
      [m2m({ response_types: ["token"] }), 400, "invalid_client_metadata", 'response_types: only "code" is supported'],
      [m2m({ response_types: ["code"] }), 400, "invalid_client_metadata", 'response_types: "code" goes with the authorization_code grant type, and only with it'],
      [m2m({ token_endpoint_auth_method: "none" }), 400, "invalid_client_metadata", "token_endpoint_auth_method: none is not supported (use client_secret_basic, client_secret_post, private_key_jwt)"],
      [m2m({ token_endpoint_auth_method: "private_key_jwt" }), 400, "invalid_client_metadata", "jwks: private_key_jwt needs the client's public keys inline"],
      [m2m({ jwks: { keys: [{ kty: "EC" }] } }), 400, "invalid_client_metadata", "jwks: keys are registered only with token_endpoint_auth_method private_key_jwt"],
      [m2m({ token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://keys.example/jwks" }), 400, "invalid_client_metadata", "jwks_uri: Deputy never fetches keys; register them inline in jwks"],
      [m2m({ software_statement: "eyJ..." }), 400, "invalid_software_statement", "Software statements are not accepted here; send the metadata itself"],
      [m2m({ scope: "Not A Tool!" }), 400, "invalid_client_metadata", "scope: must be tool names like github.push"],
      [m2m({ client_name: `dps_${"x".repeat(43)}` }), 400, "invalid_client_metadata", "client_name: looks like a Deputy secret; never put a secret here"],
      [[1, 2], 400, "invalid_client_metadata", "The request body must be a JSON object of client metadata"],
    ];
    for (const [metadata, status, error, description] of cases) {
      const r = await register(metadata, token);
      expect({ metadata, status: r.status, body: r.body }).toEqual({ metadata, status, body: { error, error_description: description } });
      expect(r.headers.get("cache-control")).toBe("no-store");
    }
    expect((await register(null, token, { raw: "{not json" })).body).toEqual({ error: "invalid_client_metadata", error_description: "The request body is not valid JSON" });
    expect((await register(null, token, { raw: "client_name=x", contentType: "application/x-www-form-urlencoded" })).body).toEqual({
      error: "invalid_client_metadata",
      error_description: "Send the client metadata as application/json",
    });

    // a key with private material is refused by the same checks as the console's: nothing is stored
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const leaked = await register(m2m({ token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [await exportJWK(privateKey)] } }), token);
    expect(leaked.body).toEqual({ error: "invalid_client_metadata", error_description: "jwks.keys.0: jwk: carries private key material (d); register the public key only" });

    // after all that, the token still registers its one client
    expect((await register(m2m(), token)).status).toBe(201);
  });

  it("registers a private_key_jwt client with its inline keys, and an authorization code client with its redirect URIs", async () => {
    const { admin, token } = await issueAsAdmin();
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: `k-${uniqueTag()}` };
    const r = await register(m2m({ token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [jwk] }, grant_types: ["client_credentials", TOKEN_EXCHANGE] }), token);
    expect(r.status).toBe(201);
    expect(r.body.client_secret).toBeUndefined();
    expect(r.body.client_secret_expires_at).toBeUndefined();
    expect(r.body).toMatchObject({ token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [jwk] }, grant_types: ["client_credentials", TOKEN_EXCHANGE] });
    const clientId = r.body.client_id as string;
    const agent = await getDb().agent.findUniqueOrThrow({ where: { id: clientId }, include: { publicKeys: true, secrets: true } });
    expect(agent).toMatchObject({ status: "pending", kind: "on_behalf_of" });
    expect(agent.secrets).toHaveLength(0);
    expect(agent.publicKeys.map((k) => [k.kid, k.alg])).toEqual([[jwk.kid, "ES256"]]);

    const assertion = () =>
      new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: jwk.kid })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(`${BASE_URL}/oauth/token`)
        .setJti(uniqueTag())
        .setIssuedAt()
        .setExpirationTime("2m")
        .sign(privateKey);
    const withKey = async () => {
      const body = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await assertion(),
      });
      return tokenRoute(formRequest("/oauth/token", body.toString()));
    };
    expect((await withKey()).status).toBe(401);
    expect((await activate(clientId, admin)).status).toBe(200);
    expect((await withKey()).status).toBe(200);

    const second = await issueAsAdmin();
    const web = await register({ client_name: `web-${uniqueTag()}`, redirect_uris: ["https://app.example.com/cb", "http://127.0.0.1:8123/cb"] }, second.token);
    expect(web.status).toBe(201);
    expect(web.body).toMatchObject({
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: ["https://app.example.com/cb", "http://127.0.0.1:8123/cb"],
      token_endpoint_auth_method: "client_secret_basic",
    });
    expect(await getDb().agent.findUniqueOrThrow({ where: { id: web.body.client_id } })).toMatchObject({
      kind: "on_behalf_of",
      redirectUris: "https://app.example.com/cb http://127.0.0.1:8123/cb",
      status: "pending",
    });
  });

  it("two registrations racing for one token: exactly one wins", async () => {
    const { token } = await issueAsAdmin();
    const results = await Promise.all([register(m2m(), token), register(m2m(), token), register(m2m(), token)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 401, 401]);
  });

  it("audits issue, registration, activation and failures, with no secret in any detail", async () => {
    const { admin, token, initialAccessToken } = await issueAsAdmin();
    await register(m2m({ grant_types: ["password"] }), token);
    const r = await register(m2m(), token);
    await activate(r.body.client_id, admin);
    await register(m2m(), token);

    const events = await getDb().auditEvent.findMany({
      where: { OR: [{ targetId: initialAccessToken.id }, { targetId: r.body.client_id }] },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.action, e.result])).toEqual([
      ["initial_access_token.create", "success"],
      ["client.register", "failure"],
      ["agent.register", "success"],
      ["client_secret.create", "success"],
      ["agent.activate", "success"],
      ["client.register", "failure"],
    ]);
    expect(events[0]).toMatchObject({ actorType: "user", actorId: admin.user.id });
    expect(events[2]).toMatchObject({ actorType: "agent", actorId: r.body.client_id });
    expect(JSON.parse(events[2]!.details)).toMatchObject({ initialAccessTokenId: initialAccessToken.id, ownerId: admin.user.id, status: "pending", grantTypes: ["client_credentials"] });
    expect(JSON.parse(events[5]!.details)).toEqual({ reason: "token_used" });
    for (const e of events) {
      expect(e.details).not.toContain(token);
      expect(e.details).not.toContain(r.body.client_secret);
      expect(e.details).not.toMatch(/dp[iskr]_[A-Za-z0-9_-]{20,}/);
    }
  });
});

describe("deputy dcr token", () => {

  it("create prints only the token, which registers a client owned by --owner; revoke ends an unused one", async () => {
    const { user } = await makeUser({ role: "admin" });
    const created = await deputy(["dcr", "token", "create", "--owner", user.email, "--expires-hours", "3"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^dpi_[A-Za-z0-9_-]{43}$/);
    const r = await register(m2m(), token);
    expect(r.status).toBe(201);
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: r.body.client_id } })).ownerId).toBe(user.id);

    const second = await deputy(["dcr", "token", "create", "--owner", user.email, "--json"]);
    const { id } = JSON.parse(second.stdout) as { id: string };
    const revoked = await deputy(["dcr", "token", "revoke", id]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${id}\n` });
    const listed = await deputy(["dcr", "token", "list", "--json"]);
    expect((JSON.parse(listed.stdout) as { id: string; status: string }[]).find((t) => t.id === id)?.status).toBe("revoked");
  });
});
