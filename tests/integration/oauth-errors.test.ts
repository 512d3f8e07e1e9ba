// The token endpoint under bad input: every request below gets its exact status and RFC 6749 5.2 error, never a 500.
// Each case builds its own request against agents made once; state-changing cases (replay) are set up in place.
import { randomBytes } from "node:crypto";
import { type CryptoKey, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as introspectRoute } from "@/app/oauth/introspect/route";
import { POST as revokeRoute } from "@/app/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { invalidateLocalCredentials } from "@/lib/agents/credential-cache";
import { revokeClientSecret } from "@/lib/agents/revoke-client-secret";
import { rotateClientSecret } from "@/lib/agents/rotate-client-secret";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { getDb } from "@/lib/db/client";
import { testActor } from "../helpers/factories";
import { basicAuth, formRequest, makeAgent, makeAgentKey } from "../helpers/oauth";

const TOKEN_URL = "http://localhost:3000/oauth/token";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

type Agent = Awaited<ReturnType<typeof makeAgent>>;
let a: Agent; // the main client
let b: Agent; // another client
let jwtClient: Agent & { key: Awaited<ReturnType<typeof makeAgentKey>> };
const secrets: Record<string, string> = {};

beforeAll(async () => {
  a = await makeAgent({ scopes: ["github.read"] });
  b = await makeAgent();
  const j = await makeAgent();
  jwtClient = { ...j, key: await makeAgentKey(j.clientId, "ES256") };

  const expired = await makeAgent();
  await getDb().clientSecret.updateMany({ where: { agentId: expired.clientId }, data: { expiresAt: new Date(Date.now() - 1000) } });
  secrets.expired = basicAuth(expired.clientId, expired.clientSecret);

  const revoked = await makeAgent();
  const [row] = await getDb().clientSecret.findMany({ where: { agentId: revoked.clientId } });
  await revokeClientSecret(getDb(), revoked.clientId, row!.id, testActor);
  secrets.revoked = basicAuth(revoked.clientId, revoked.clientSecret);

  const rotated = await makeAgent();
  await rotateClientSecret(getDb(), rotated.clientId, { graceHours: 0 }, testActor);
  secrets.pastGrace = basicAuth(rotated.clientId, rotated.clientSecret);

  const suspended = await makeAgent();
  await suspendAgent(getDb(), suspended.clientId, testActor);
  secrets.suspended = basicAuth(suspended.clientId, suspended.clientSecret);
  invalidateLocalCredentials(); // the expired secret above was edited in the database directly
});

const cc = "grant_type=client_credentials";
const basicA = () => basicAuth(a.clientId, a.clientSecret);

async function assertion(overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key?: CryptoKey | Uint8Array) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: jwtClient.clientId, sub: jwtClient.clientId, aud: TOKEN_URL, jti: randomBytes(8).toString("hex"), iat: now, exp: now + 120, ...overrides })
    .setProtectedHeader({ alg: "ES256", kid: jwtClient.key.kid, ...header })
    .sign(key ?? jwtClient.key.privateKey);
}

const jwtForm = (jwt: string) => `${cc}&client_assertion_type=${encodeURIComponent(ASSERTION_TYPE)}&client_assertion=${jwt}`;

function unsignedJwt(payload: Record<string, unknown>) {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "none" })}.${enc(payload)}.`;
}

type Case = [name: string, request: () => Promise<Request> | Request, status: number, error: string];

const cases: Case[] = [
  ["JSON content type", () => new Request(TOKEN_URL, { method: "POST", headers: { "content-type": "application/json", authorization: basicA() }, body: JSON.stringify({ grant_type: "client_credentials" }) }), 400, "invalid_request"],
  ["no content type", () => new Request(TOKEN_URL, { method: "POST", headers: { authorization: basicA() }, body: cc }), 400, "invalid_request"],
  ["text/plain content type", () => new Request(TOKEN_URL, { method: "POST", headers: { "content-type": "text/plain", authorization: basicA() }, body: cc }), 400, "invalid_request"],
  ["body over 64 KB", () => formRequest("/oauth/token", `${cc}&pad=${"x".repeat(70_000)}`, { authorization: basicA() }), 413, "invalid_request"],
  ["body over 64 KB without a content-length (streamed)", () => new Request(TOKEN_URL, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicA() }, body: new ReadableStream({ start(c) { for (let i = 0; i < 80; i++) c.enqueue(new Uint8Array(1024).fill(97)); c.close(); } }), duplex: "half" } as RequestInit), 413, "invalid_request"],
  ["empty body", () => formRequest("/oauth/token", "", { authorization: basicA() }), 400, "invalid_request"],
  ["garbage bytes", () => formRequest("/oauth/token", randomBytes(512), { authorization: basicA() }), 400, "invalid_request"],
  ["missing grant_type", () => formRequest("/oauth/token", "scope=github.read", { authorization: basicA() }), 400, "invalid_request"],
  ["unknown grant_type", () => formRequest("/oauth/token", "grant_type=magic", { authorization: basicA() }), 400, "unsupported_grant_type"],
  ["password grant (not offered)", () => formRequest("/oauth/token", "grant_type=password&username=x&password=y", { authorization: basicA() }), 400, "unsupported_grant_type"],
  ["duplicated grant_type", () => formRequest("/oauth/token", `${cc}&${cc}`, { authorization: basicA() }), 400, "invalid_request"],
  ["duplicated scope", () => formRequest("/oauth/token", `${cc}&scope=github.read&scope=github.read`, { authorization: basicA() }), 400, "invalid_request"],
  ["no client authentication", () => formRequest("/oauth/token", cc), 401, "invalid_client"],
  ["a Bearer header instead of client authentication", () => formRequest("/oauth/token", cc, { authorization: "Bearer abc" }), 401, "invalid_client"],
  ["Basic without a colon", () => formRequest("/oauth/token", cc, { authorization: `Basic ${Buffer.from("nocolon").toString("base64")}` }), 401, "invalid_client"],
  ["Basic with bad percent-encoding", () => formRequest("/oauth/token", cc, { authorization: `Basic ${Buffer.from("%zz:%zz").toString("base64")}` }), 401, "invalid_client"],
  ["unknown client", () => formRequest("/oauth/token", cc, { authorization: basicAuth("agt_unknown", a.clientSecret) }), 401, "invalid_client"],
  ["wrong secret (well-formed)", () => formRequest("/oauth/token", cc, { authorization: basicAuth(a.clientId, `dps_${randomBytes(32).toString("base64url")}`) }), 401, "invalid_client"],
  ["malformed secret", () => formRequest("/oauth/token", cc, { authorization: basicAuth(a.clientId, "hunter2") }), 401, "invalid_client"],
  ["another agent's valid secret", () => formRequest("/oauth/token", cc, { authorization: basicAuth(a.clientId, b.clientSecret) }), 401, "invalid_client"],
  ["expired secret", () => formRequest("/oauth/token", cc, { authorization: secrets.expired! }), 401, "invalid_client"],
  ["revoked secret", () => formRequest("/oauth/token", cc, { authorization: secrets.revoked! }), 401, "invalid_client"],
  ["secret after its rotation grace", () => formRequest("/oauth/token", cc, { authorization: secrets.pastGrace! }), 401, "invalid_client"],
  ["suspended agent", () => formRequest("/oauth/token", cc, { authorization: secrets.suspended! }), 401, "invalid_client"],
  ["Basic and client_secret_post together", () => formRequest("/oauth/token", `${cc}&client_id=${a.clientId}&client_secret=${a.clientSecret}`, { authorization: basicA() }), 400, "invalid_request"],
  ["client_secret_post without client_id", () => formRequest("/oauth/token", `${cc}&client_secret=${a.clientSecret}`), 400, "invalid_request"],
  ["client_id that differs from the Basic credentials", () => formRequest("/oauth/token", `${cc}&client_id=${b.clientId}`, { authorization: basicA() }), 400, "invalid_request"],
  ["wrong client_assertion_type", async () => formRequest("/oauth/token", `${cc}&client_assertion_type=urn:x&client_assertion=${await assertion()}`), 400, "invalid_request"],
  ["client_assertion_type without an assertion", () => formRequest("/oauth/token", `${cc}&client_assertion_type=${encodeURIComponent(ASSERTION_TYPE)}`), 400, "invalid_request"],
  ["assertion that is not a JWT", () => formRequest("/oauth/token", jwtForm("not-a-jwt")), 401, "invalid_client"],
  ["assertion with the wrong aud", async () => formRequest("/oauth/token", jwtForm(await assertion({ aud: "https://elsewhere.example/token" }))), 401, "invalid_client"],
  ["expired assertion", async () => formRequest("/oauth/token", jwtForm(await assertion({ iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 300 }))), 401, "invalid_client"],
  ["assertion valid for an hour (over 5 minutes)", async () => formRequest("/oauth/token", jwtForm(await assertion({ exp: Math.floor(Date.now() / 1000) + 3600 }))), 401, "invalid_client"],
  ["assertion without a jti", async () => formRequest("/oauth/token", jwtForm(await assertion({ jti: undefined }))), 401, "invalid_client"],
  ["assertion whose sub is another client", async () => formRequest("/oauth/token", jwtForm(await assertion({ sub: b.clientId }))), 401, "invalid_client"],
  ["assertion with alg none", () => formRequest("/oauth/token", jwtForm(unsignedJwt({ iss: jwtClient.clientId, sub: jwtClient.clientId, aud: TOKEN_URL, jti: "x1", exp: Math.floor(Date.now() / 1000) + 60 }))), 401, "invalid_client"],
  ["assertion HS256-signed with the public key as the secret", async () => formRequest("/oauth/token", jwtForm(await assertion({}, { alg: "HS256" }, new TextEncoder().encode(JSON.stringify(jwtClient.key.publicJwk))))), 401, "invalid_client"],
  ["assertion signed by a key the agent never registered", async () => {
    const { generateKeyPair } = await import("jose");
    const other = await generateKeyPair("ES256");
    return formRequest("/oauth/token", jwtForm(await assertion({}, {}, other.privateKey)));
  }, 401, "invalid_client"],
  ["assertion for a client that has no keys", async () => formRequest("/oauth/token", `${jwtForm(await assertion())}&client_id=${a.clientId}`), 401, "invalid_client"],
  ["scope the agent may not use", () => formRequest("/oauth/token", `${cc}&scope=payments.refund`, { authorization: basicA() }), 400, "invalid_scope"],
  ["scope with a double space", () => formRequest("/oauth/token", `${cc}&scope=${encodeURIComponent("github.read  github.read")}`, { authorization: basicA() }), 400, "invalid_scope"],
  ["scope with forbidden characters", () => formRequest("/oauth/token", `${cc}&scope=${encodeURIComponent('github.read"<x>')}`, { authorization: basicA() }), 400, "invalid_scope"],
  ["resource that is not an absolute URI", () => formRequest("/oauth/token", `${cc}&resource=not-a-uri`, { authorization: basicA() }), 400, "invalid_target"],
  ["resource carrying something shaped like a secret", () => formRequest("/oauth/token", `${cc}&resource=${encodeURIComponent(`https://rs.example/dps_${"a".repeat(43)}`)}`, { authorization: basicA() }), 400, "invalid_target"],
  ["resource with a fragment", () => formRequest("/oauth/token", `${cc}&resource=${encodeURIComponent("https://rs.example/#frag")}`, { authorization: basicA() }), 400, "invalid_target"],
];

describe("POST /oauth/token with bad requests", () => {
  it(`has at least 30 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)("%s -> %i %s", async (_name, make, status, error) => {
    const res = await tokenRoute(await make());
    const body = await res.json();
    expect({ status: res.status, error: body.error }).toEqual({ status, error });
    expect(typeof body.error_description).toBe("string");
    expect(Object.keys(body).sort()).toEqual(["error", "error_description"]);
    expect(res.headers.get("cache-control")).toBe("no-store");
    if (status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^(Basic|Bearer) realm="deputy"$/);
  });

  it("a replayed assertion (same jti) is refused the second time", async () => {
    const jwt = await assertion();
    expect((await tokenRoute(formRequest("/oauth/token", jwtForm(jwt)))).status).toBe(200);
    const again = await tokenRoute(formRequest("/oauth/token", jwtForm(jwt)));
    expect(again.status).toBe(401);
    expect((await again.json()).error).toBe("invalid_client");
    const reason = await getDb().auditEvent.findFirstOrThrow({ where: { action: "client.authenticate", actorId: jwtClient.clientId, result: "failure" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(reason.details).reason).toBe("assertion_replayed");
  });

  it("failed client authentication is throttled per client: 429 with Retry-After after 10 failures", async () => {
    const victim = await makeAgent();
    const wrong = basicAuth(victim.clientId, `dps_${randomBytes(32).toString("base64url")}`);
    for (let i = 0; i < 10; i++) expect((await tokenRoute(formRequest("/oauth/token", cc, { authorization: wrong }))).status).toBe(401);
    const blocked = await tokenRoute(formRequest("/oauth/token", cc, { authorization: wrong }));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.json()).toEqual({ error: "temporarily_unavailable", error_description: expect.stringMatching(/^Too many failed client authentications; retry in \d+ s$/) });
    // the legitimate client is not locked out by someone hammering its client_id: its secret still works
    expect((await tokenRoute(formRequest("/oauth/token", cc, { authorization: basicAuth(victim.clientId, victim.clientSecret) }))).status).toBe(200);
    // and once the wait has passed, a bad attempt is an ordinary 401 again
    await getDb().signInThrottle.update({ where: { key: `client:${victim.clientId}` }, data: { blockedUntil: new Date(Date.now() - 1) } });
    expect((await tokenRoute(formRequest("/oauth/token", cc, { authorization: wrong }))).status).toBe(401);
  });
});

describe("introspection and revocation with bad requests", () => {
  it.each([
    ["no authentication", () => formRequest("/oauth/introspect", "token=x"), 401, "invalid_client"],
    ["an unknown API key", () => formRequest("/oauth/introspect", "token=x", { authorization: `Bearer dpk_${"a".repeat(43)}` }), 401, "invalid_client"],
    ["an agent not allowed to introspect", () => formRequest("/oauth/introspect", "token=x", { authorization: basicA() }), 400, "unauthorized_client"],
  ] as const)("introspect: %s -> %i %s", async (_n, make, status, error) => {
    const res = await introspectRoute(make());
    expect({ status: res.status, error: (await res.json()).error }).toEqual({ status, error });
  });

  it("introspect answers { active: false } for garbage, foreign and unsigned tokens", async () => {
    const rs = await makeAgent({ canIntrospect: true });
    for (const token of ["garbage", unsignedJwt({ sub: a.clientId }), "a.b.c"]) {
      const res = await introspectRoute(formRequest("/oauth/introspect", `token=${encodeURIComponent(token)}`, { authorization: basicAuth(rs.clientId, rs.clientSecret) }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ active: false });
    }
  });

  it("revoke: 200 for an unknown token, 400 without a token, 401 without client authentication", async () => {
    expect((await revokeRoute(formRequest("/oauth/revoke", "token=unknown", { authorization: basicA() }))).status).toBe(200);
    const missing = await revokeRoute(formRequest("/oauth/revoke", "", { authorization: basicA() }));
    expect({ status: missing.status, error: (await missing.json()).error }).toEqual({ status: 400, error: "invalid_request" });
    const anonymous = await revokeRoute(formRequest("/oauth/revoke", "token=x"));
    expect({ status: anonymous.status, error: (await anonymous.json()).error }).toEqual({ status: 401, error: "invalid_client" });
  });
});
