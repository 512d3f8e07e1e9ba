// A person delegates to an agent: the authorization code flow with PKCE (RFC 6749 4.1, RFC 7636). The authorize step's
// server logic (what the consent page and its server actions call) runs directly; the code is redeemed at the real
// token endpoint, and the token is checked at the real introspection and decision endpoints.
import { createHash, randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { GET as listAllRoute } from "@/app/api/v1/consents/route";
import { POST as decisionsRoute } from "@/app/api/v1/decisions/route";
import { POST as revokeMineRoute } from "@/app/api/v1/me/consents/[consentId]/revoke/route";
import { GET as listMineRoute } from "@/app/api/v1/me/consents/route";
import { POST as introspectRoute } from "@/app/oauth/introspect/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { createAgent } from "@/lib/agents/create-agent";
import { updateAgent } from "@/lib/agents/update-agent";
import { errorRedirect, parseAuthorizationRequest, type AuthorizationRequest } from "@/lib/consents/authorization-request";
import { describeConsent } from "@/lib/consents/consent-screen";
import { denyConsent } from "@/lib/consents/deny-consent";
import { type ConsentChoice, grantConsent } from "@/lib/consents/grant-consent";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiRequest, BASE_URL, json, routeParams } from "../helpers/http";
import { basicAuth, formRequest } from "../helpers/oauth";
import { adminKey, consoleSession, makeGrant, makeTool, makeTree } from "./authz-helpers";

const REDIRECT = "https://agent.example/callback";

let tree: Awaited<ReturnType<typeof makeTree>>;
let readTool: string;
let writeTool: string;
let lackedTool: string;
let audience: string;
let rsSecret: string;
let key: string;

const path = (rel: string) => [tree.root, rel].filter(Boolean).join("/");

beforeAll(async () => {
  tree = await makeTree(["platform", "platform/api", "platform/web", "prod"]);
  readTool = (await makeTool({ risk: "read" })).name;
  writeTool = (await makeTool({ risk: "write" })).name;
  lackedTool = (await makeTool({ risk: "read" })).name;
  audience = `https://mcp-${uniqueTag()}.example/`;
  ({ secret: rsSecret } = await createResourceServer(getDb(), { name: `rs-${uniqueTag()}`, audience }, testActor));
  key = await adminKey();
});

/** An on-behalf-of agent allowed the three tools and holding them on the whole tree, and a person holding two. */
async function world(opts: { kind?: "autonomous" | "on_behalf_of" } = {}) {
  const { user: owner } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(
    getDb(),
    {
      name: `helper-${uniqueTag()}`,
      owner: owner.email,
      kind: opts.kind ?? "on_behalf_of",
      allowedScopes: [readTool, writeTool, lackedTool],
      redirectUris: [REDIRECT, "http://127.0.0.1:8765/cb"],
    },
    testActor,
  );
  await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: readTool });
  await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: writeTool });
  await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: lackedTool });
  const person = await consoleSession("viewer");
  await makeGrant({ principal: { type: "user", id: person.user.id }, node: tree.nodes.platform!.id, tool: readTool });
  await makeGrant({ principal: { type: "user", id: person.user.id }, node: tree.nodes.platform!.id, tool: writeTool });
  return { agent, secret: clientSecret!, owner, person };
}
type World = Awaited<ReturnType<typeof world>>;

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function query(w: World, challenge: string, over: Record<string, string | null> = {}) {
  const params: Record<string, string | null> = {
    response_type: "code",
    client_id: w.agent.id,
    redirect_uri: REDIRECT,
    scope: `${readTool} ${writeTool} ${lackedTool}`,
    state: "st-42",
    code_challenge: challenge,
    code_challenge_method: "S256",
    node: path("platform"),
    duration: "3600",
    resource: audience,
    ...over,
  };
  return new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null));
}

async function authorize(w: World, challenge: string, over: Record<string, string | null> = {}): Promise<AuthorizationRequest> {
  const parsed = await parseAuthorizationRequest(getDb(), query(w, challenge, over));
  if (parsed.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(parsed)}`);
  return parsed.request;
}

/** Authorize and approve (narrowed by `choice`); returns the code from the redirect. */
async function consent(w: World, choice: Partial<ConsentChoice> = {}, now?: Date) {
  const { verifier, challenge } = pkce();
  const request = await authorize(w, challenge);
  const granted = await grantConsent(
    getDb(),
    request,
    { tools: [readTool, writeTool], nodeId: tree.nodes.platform!.id, durationSeconds: 3600, ...choice },
    w.person.user,
    now,
  );
  const url = new URL(granted.redirectTo);
  return { ...granted, url, code: url.searchParams.get("code")!, verifier };
}

async function redeem(w: World, form: Record<string, string>, auth = basicAuth(w.agent.id, w.secret)) {
  const res = await tokenRoute(formRequest("/oauth/token", new URLSearchParams({ grant_type: "authorization_code", redirect_uri: REDIRECT, ...form }).toString(), { authorization: auth }));
  return { status: res.status, body: await json(res), headers: res.headers };
}

async function introspect(token: string) {
  return json(await introspectRoute(formRequest("/oauth/introspect", `token=${encodeURIComponent(token)}`, { authorization: `Bearer ${key}` })));
}

async function decide(token: string, tool: string, resource: string) {
  const res = await decisionsRoute(
    new Request(`${BASE_URL}/api/v1/decisions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${rsSecret}` },
      body: JSON.stringify({ token, tool, resource }),
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { decision: string; reasons: { code: string; message: string }[] };
}

const invalidGrant = (description: string) => ({ error: "invalid_grant", error_description: description });

describe("GET /oauth/authorize: the request", () => {
  it("an unknown client, an autonomous agent or an unregistered redirect URI is shown, never redirected", async () => {
    const w = await world();
    const { challenge } = pkce();
    const fatal = async (over: Record<string, string | null>) => {
      const parsed = await parseAuthorizationRequest(getDb(), query(w, challenge, over));
      expect(parsed.kind).toBe("fatal");
      return parsed.kind === "fatal" ? parsed.message : "";
    };
    expect(await fatal({ client_id: "agt_nope" })).toBe("No agent is registered with this client_id.");
    expect(await fatal({ client_id: null })).toContain("client_id is missing");
    expect(await fatal({ redirect_uri: "https://evil.example/callback" })).toContain("not one registered");
    // exact match: no prefix, no trailing slash, no extra query
    expect(await fatal({ redirect_uri: `${REDIRECT}/` })).toContain("not one registered");
    expect(await fatal({ redirect_uri: `${REDIRECT}?x=1` })).toContain("not one registered");
    expect(await fatal({ redirect_uri: "https://agent.example/" })).toContain("not one registered");
    expect(await fatal({ redirect_uri: null })).toContain("missing");
    const robot = await world({ kind: "autonomous" });
    const parsed = await parseAuthorizationRequest(getDb(), query(robot, challenge));
    expect(parsed).toEqual({ kind: "fatal", message: `Agent ${robot.agent.name} is not registered to act on behalf of people.` });
  });

  it("later errors go back to the redirect URI with state (RFC 6749 4.1.2.1): plain PKCE refused, bad scope, bad type", async () => {
    const w = await world();
    const { verifier, challenge } = pkce();
    const redirected = async (over: Record<string, string | null>) => {
      const parsed = await parseAuthorizationRequest(getDb(), query(w, challenge, over));
      if (parsed.kind !== "redirect") throw new Error(`expected a redirect, got ${parsed.kind}`);
      const url = new URL(parsed.url);
      expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
      expect(url.searchParams.get("iss")).toBe(BASE_URL);
      return Object.fromEntries([...url.searchParams].filter(([k]) => k !== "iss"));
    };
    expect(await redirected({ code_challenge_method: "plain", code_challenge: verifier })).toEqual({
      error: "invalid_request",
      error_description: "code_challenge_method must be S256",
      state: "st-42",
    });
    expect(await redirected({ code_challenge_method: null })).toMatchObject({ error: "invalid_request", error_description: "code_challenge_method must be S256" });
    expect(await redirected({ code_challenge: null })).toMatchObject({ error: "invalid_request", error_description: "code_challenge is required (PKCE, S256)" });
    expect(await redirected({ response_type: "token" })).toMatchObject({ error: "unsupported_response_type", state: "st-42" });
    expect(await redirected({ scope: "admin.everything" })).toEqual({ error: "invalid_scope", error_description: "Not allowed for this agent: admin.everything", state: "st-42" });
    expect(await redirected({ node: "no/such/node" })).toMatchObject({ error: "invalid_request", error_description: "node names no resource of this Deputy" });
    expect(await redirected({ resource: "not a uri" })).toMatchObject({ error: "invalid_target" });
    expect(await redirected({ duration: "5" })).toMatchObject({ error: "invalid_request" });
    expect(await redirected({ state: null, response_type: "token" })).not.toHaveProperty("state");
    const repeated = await parseAuthorizationRequest(getDb(), new URLSearchParams(`${query(w, challenge)}&scope=${readTool}`));
    expect(repeated.kind === "redirect" && new URL(repeated.url).searchParams.get("error_description")).toBe("scope is repeated");
    expect(errorRedirect(REDIRECT, "access_denied", "The person denied the request", "st-42")).toBe(
      `${REDIRECT}?error=access_denied&error_description=The+person+denied+the+request&state=st-42&iss=${encodeURIComponent(BASE_URL)}`,
    );
  });

  it("a valid request: the duration is capped at 30 days, a path names the node, no scope means every allowed tool", async () => {
    const w = await world();
    const { challenge } = pkce();
    const r = await authorize(w, challenge, { duration: String(365 * 86_400), scope: null, resource: null });
    expect(r).toMatchObject({ durationSeconds: 30 * 86_400, nodeId: tree.nodes.platform!.id, redirectUri: REDIRECT, state: "st-42", resource: null });
    expect(r.tools.sort()).toEqual([readTool, writeTool, lackedTool].sort());
    expect(r.agent).toMatchObject({ id: w.agent.id, name: w.agent.name, ownerEmail: w.owner.email });
  });
});

describe("the consent screen and approval", () => {
  it("shows the agent, its owner, each tool with its risk and whether the person holds it, the subtree and durations", async () => {
    const w = await world();
    const { challenge } = pkce();
    const screen = await describeConsent(getDb(), await authorize(w, challenge), w.person.user.id);
    expect(screen.agent).toEqual({ id: w.agent.id, name: w.agent.name, ownerEmail: w.owner.email });
    expect(screen.tools).toEqual([
      { name: readTool, risk: "read", held: true },
      { name: writeTool, risk: "write", held: true },
      { name: lackedTool, risk: "read", held: false },
    ]);
    expect(screen.node).toEqual({ id: tree.nodes.platform!.id, path: path("platform") });
    expect(screen.nodeChoices.map((n) => n.path)).toEqual([path("platform"), path("platform/api"), path("platform/web")]);
    expect(screen.durationChoices).toEqual([900, 3600]);
  });

  it("a refusal sends the agent access_denied with its state, and is audited; no consent is made", async () => {
    const w = await world();
    const { challenge } = pkce();
    const request = await authorize(w, challenge);
    const { redirectTo } = await denyConsent(getDb(), request, w.person.user);
    expect(redirectTo).toBe(errorRedirect(REDIRECT, "access_denied", "The person denied the request", "st-42"));
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "consent.deny", targetId: w.agent.id } });
    expect(event).toMatchObject({ actorId: w.person.user.id, actorLabel: w.person.user.email, result: "success" });
    expect(JSON.parse(event.details)).toMatchObject({ agent: w.agent.name, requested: request.tools, node: request.nodeId });
    expect(await getDb().consent.count({ where: { agentId: w.agent.id, userId: w.person.user.id } })).toBe(0);
  });

  it("a person cannot delegate a tool they lack: it leaves the consent, and alone it is refused", async () => {
    const w = await world();
    const { challenge } = pkce();
    const request = await authorize(w, challenge);
    const granted = await grantConsent(getDb(), request, { tools: [readTool, lackedTool], nodeId: tree.nodes.platform!.id, durationSeconds: 3600 }, w.person.user);
    expect(granted.tools).toEqual([readTool]);
    expect(granted.removed).toEqual([lackedTool]);
    expect((await getDb().consent.findUniqueOrThrow({ where: { id: granted.consentId } })).scope).toBe(readTool);
    await expect(grantConsent(getDb(), request, { tools: [lackedTool], nodeId: null, durationSeconds: 3600 }, w.person.user)).rejects.toThrow(AppError);
    await expect(grantConsent(getDb(), request, { tools: [lackedTool], nodeId: tree.nodes.platform!.id, durationSeconds: 3600 }, w.person.user)).rejects.toThrow(
      `You hold none of the chosen tools on ${path("platform")}, so you cannot delegate them`,
    );
  });

  it("narrowing only: no unrequested tool, no node outside the requested subtree, no longer duration", async () => {
    const w = await world();
    const { challenge } = pkce();
    const request = await authorize(w, challenge);
    const base = { tools: [readTool], nodeId: tree.nodes.platform!.id, durationSeconds: 3600 };
    const refused = (choice: ConsentChoice) => expect(grantConsent(getDb(), request, choice, w.person.user)).rejects.toThrow(AppError);
    await refused({ ...base, tools: ["other.tool"] });
    await refused({ ...base, nodeId: tree.nodes.prod!.id });
    await refused({ ...base, nodeId: tree.nodes[""]!.id });
    await refused({ ...base, nodeId: null });
    await refused({ ...base, durationSeconds: 7200 });
    expect(await getDb().consent.count({ where: { agentId: w.agent.id } })).toBe(0);
  });
});

describe("POST /oauth/token grant_type=authorization_code", () => {
  it("the full flow: a narrowed consent becomes the token's scope, subtree and expiry; decisions follow it", async () => {
    const w = await world();
    // the person unticks the write tool and narrows to platform/api
    const c = await consent(w, { tools: [readTool], nodeId: tree.nodes["platform/api"]!.id });
    expect(c.url.searchParams.get("state")).toBe("st-42");
    expect(c.url.searchParams.get("iss")).toBe(BASE_URL);
    expect(c.code).toMatch(/^dpc_/);

    const r = await redeem(w, { code: c.code, code_verifier: c.verifier });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toContain("no-store");
    expect(r.body).toMatchObject({ token_type: "Bearer", scope: readTool, expires_in: 600 });
    const consentRow = await getDb().consent.findUniqueOrThrow({ where: { id: c.consentId } });
    const claims = decodeJwt(r.body.access_token);
    expect(claims).toMatchObject({
      sub: w.person.user.id,
      client_id: w.agent.id,
      act: { sub: w.agent.id, epoch: 0 },
      aud: audience,
      scope: readTool,
      cid: c.consentId,
      authorization_details: [{ type: "deputy_resource", node: tree.nodes["platform/api"]!.id, tools: [readTool], expiry: Math.floor(consentRow.expiresAt.getTime() / 1000) }],
    });

    expect(await introspect(r.body.access_token)).toMatchObject({ active: true, sub: w.person.user.id, scope: readTool });
    expect((await decide(r.body.access_token, readTool, path("platform/api"))).decision).toBe("allow");
    // outside the consented subtree, though the person and the agent both hold it there
    expect((await decide(r.body.access_token, readTool, path("platform/web"))).decision).toBe("deny");
    // the unticked tool
    expect((await decide(r.body.access_token, writeTool, path("platform/api"))).reasons[0]!.code).toBe("not_in_scope");

    const events = await getDb().auditEvent.findMany({ where: { targetId: c.consentId } });
    expect(events.map((e) => e.action)).toEqual(["consent.grant"]);
    expect(JSON.parse(events[0]!.details)).toMatchObject({ agentId: w.agent.id, scope: [readTool], node: { path: path("platform/api") } });
    const issued = (await getDb().auditEvent.findMany({ where: { action: "token.issue", actorId: w.agent.id } })).map((e) => JSON.parse(e.details));
    expect(issued).toEqual([expect.objectContaining({ grant: "authorization_code", consent: c.consentId, sub: w.person.user.id, scope: readTool })]);
  });

  it("the token lives no longer than the consent, and the agent's current allowed tools cut the scope", async () => {
    const w = await world();
    const c = await consent(w, { durationSeconds: 900 });
    await updateAgent(getDb(), w.agent.id, { allowedScopes: [readTool], tokenTtlSeconds: 3600 }, testActor);
    const r = await redeem(w, { code: c.code, code_verifier: c.verifier });
    expect(r.status).toBe(200);
    expect(r.body.scope).toBe(readTool);
    expect(r.body.expires_in).toBeLessThanOrEqual(900);
    expect(r.body.expires_in).toBeGreaterThan(890);
  });

  it("PKCE: a wrong or missing verifier is invalid_grant, and the code still works with the right one", async () => {
    const w = await world();
    const c = await consent(w);
    expect(await redeem(w, { code: c.code, code_verifier: pkce().verifier })).toMatchObject({
      status: 400,
      body: invalidGrant("code_verifier does not match the code_challenge"),
    });
    expect((await redeem(w, { code: c.code })).body).toEqual({ error: "invalid_request", error_description: "code_verifier is required (PKCE)" });
    expect((await redeem(w, { code: c.code, code_verifier: "short" })).body.error).toBe("invalid_request");
    expect((await redeem(w, { code: c.code, code_verifier: c.verifier })).status).toBe(200);
  });

  it("the redirect URI must equal the authorization request's; another client cannot redeem the code", async () => {
    const w = await world();
    const other = await world();
    const c = await consent(w);
    expect((await redeem(w, { code: c.code, code_verifier: c.verifier, redirect_uri: "http://127.0.0.1:8765/cb" })).body).toEqual(
      invalidGrant("redirect_uri does not match the authorization request"),
    );
    expect((await redeem(other, { code: c.code, code_verifier: c.verifier })).body).toEqual(invalidGrant("The authorization code was issued to another client"));
    // a different resource than the one consented for
    expect((await redeem(w, { code: c.code, code_verifier: c.verifier, resource: "https://elsewhere.example/" })).body.error).toBe("invalid_target");
    // a tampered code (another resource spliced in) is just unknown
    const tampered = `${c.code.split(".")[0]}.${Buffer.from("https://elsewhere.example/").toString("base64url")}`;
    expect((await redeem(w, { code: tampered, code_verifier: c.verifier })).body).toEqual(invalidGrant("The authorization code is unknown"));
    expect((await redeem(w, { code: c.code, code_verifier: c.verifier })).status).toBe(200);
  });

  it("single use: a second redemption is invalid_grant and revokes the consent, so the first token stops too", async () => {
    const w = await world();
    const c = await consent(w);
    const first = await redeem(w, { code: c.code, code_verifier: c.verifier });
    expect(first.status).toBe(200);
    expect((await introspect(first.body.access_token)).active).toBe(true);

    const again = await redeem(w, { code: c.code, code_verifier: c.verifier });
    expect(again).toMatchObject({ status: 400, body: invalidGrant("The authorization code was already used; the consent it came from is revoked") });
    expect((await getDb().consent.findUniqueOrThrow({ where: { id: c.consentId } })).revokedAt).not.toBeNull();
    expect(await introspect(first.body.access_token)).toEqual({ active: false });
    expect((await decide(first.body.access_token, readTool, path("platform/api"))).reasons[0]!.code).toBe("token_inactive");
    const revoked = await getDb().auditEvent.findFirstOrThrow({ where: { targetId: c.consentId, action: "consent.revoke" } });
    expect(JSON.parse(revoked.details)).toEqual({ reason: "authorization code redeemed twice" });
  });

  it("two racing redemptions: exactly one token", async () => {
    const w = await world();
    const c = await consent(w);
    const results = await Promise.all([redeem(w, { code: c.code, code_verifier: c.verifier }), redeem(w, { code: c.code, code_verifier: c.verifier })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("an expired code (older than 60 s) is invalid_grant", async () => {
    const w = await world();
    const c = await consent(w, {}, new Date(Date.now() - 61_000));
    expect(await redeem(w, { code: c.code, code_verifier: c.verifier })).toMatchObject({ status: 400, body: invalidGrant("The authorization code has expired") });
    expect((await redeem(w, { code: "dpc_nope", code_verifier: c.verifier })).body).toEqual(invalidGrant("The authorization code is unknown"));
  });
});

describe("Connected agents: listing and revoking consents", () => {
  it("the person lists and revokes their own consent; its token is inactive at introspection and decisions", async () => {
    const w = await world();
    const c = await consent(w, { tools: [readTool] });
    const { body } = await redeem(w, { code: c.code, code_verifier: c.verifier });
    expect((await decide(body.access_token, readTool, path("platform/api"))).decision).toBe("allow");

    const list = await json(await listMineRoute(apiRequest("/api/v1/me/consents", { session: w.person.session })));
    expect(list.consents).toEqual([
      expect.objectContaining({
        id: c.consentId,
        agent: { id: w.agent.id, name: w.agent.name },
        user: { id: w.person.user.id, email: w.person.user.email },
        tools: [{ name: readTool, risk: "read" }],
        node: { id: tree.nodes.platform!.id, path: path("platform") },
        status: "active",
        revokedAt: null,
      }),
    ]);

    // someone else's consent is a 404, like a missing one
    const stranger = await consoleSession("admin");
    const revokeAs = (s: { session: string; headers: Record<string, string> }) =>
      revokeMineRoute(apiRequest(`/api/v1/me/consents/${c.consentId}/revoke`, { method: "POST", session: s.session, headers: s.headers }), routeParams({ consentId: c.consentId }));
    expect((await revokeAs(stranger)).status).toBe(404);
    // a cross-site post with the person's cookie is refused
    expect((await revokeAs({ session: w.person.session, headers: { origin: "https://evil.example" } })).status).toBe(403);

    const revoked = await revokeAs(w.person);
    expect(revoked.status).toBe(200);
    expect(await json(revoked)).toMatchObject({ id: c.consentId, status: "revoked" });
    expect(await introspect(body.access_token)).toEqual({ active: false });
    const denied = await decide(body.access_token, readTool, path("platform/api"));
    expect(denied).toMatchObject({ decision: "deny", reasons: [{ code: "token_inactive" }] });
    expect(denied.reasons[0]!.message).toContain("consent revoked");
    expect((await revokeAs(w.person)).status).toBe(409);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { targetId: c.consentId, action: "consent.revoke" } });
    expect(event).toMatchObject({ actorType: "user", actorId: w.person.user.id });

    // admins see everyone's
    const all = await json(await listAllRoute(apiRequest(`/api/v1/consents?agentId=${w.agent.id}`, { key })));
    expect(all.consents.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[c.consentId, "revoked"]]);
    expect((await listAllRoute(apiRequest("/api/v1/consents", { session: w.person.session }))).status).toBe(403);
  });
});

describe("registration and discovery", () => {
  it("redirect URIs are https, or http to this machine only, and never carry a fragment", async () => {
    const { user } = await makeUser({ role: "admin" });
    const make = (redirectUris: string[]) => createAgent(getDb(), { name: `r-${uniqueTag()}`, owner: user.email, kind: "on_behalf_of", redirectUris }, testActor);
    await expect(make(["http://agent.example/cb"])).rejects.toThrow("must use https");
    await expect(make(["https://agent.example/cb#frag"])).rejects.toThrow("must not have a fragment");
    await expect(make(["not a url"])).rejects.toThrow();
    const ok = await make(["http://localhost:9000/cb", "https://agent.example/cb", "http://127.0.0.1/cb"]);
    expect(ok.agent.redirectUris).toEqual(["http://127.0.0.1/cb", "http://localhost:9000/cb", "https://agent.example/cb"]);
    const updated = await updateAgent(getDb(), ok.agent.id, { redirectUris: "https://other.example/cb" }, testActor);
    expect(updated.redirectUris).toEqual(["https://other.example/cb"]);
  });

  it("the metadata names the authorization endpoint, code, S256 and the grant", async () => {
    const doc = await json(await metadataRoute());
    expect(doc).toMatchObject({
      authorization_endpoint: `${BASE_URL}/oauth/authorize`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
    });
    expect(doc.grant_types_supported).toContain("authorization_code");
  });
});
