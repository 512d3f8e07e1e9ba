// Token exchange (RFC 8693) through the real token route: a chain Human -> A -> B -> C where every hop narrows scope,
// subtree and expiry, each widening refused with its error, actors allowed only by may_act or a delegation rule, the
// chain depth bounded, introspection showing the whole chain, decisions needing every principal of it, and the kill
// switch on a middle hop stopping the end of the chain. The first delegated token (the person's consent to A) is
// minted as the consent flow mints it: sub = the person, act = { sub: A, epoch }.
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteRuleRoute } from "@/app/api/v1/delegation-rules/[fromAgentId]/[toAgentId]/route";
import { GET as listRulesRoute, POST as createRuleRoute } from "@/app/api/v1/delegation-rules/route";
import { POST as decisionsRoute } from "@/app/api/v1/decisions/route";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as introspectRoute } from "@/app/oauth/introspect/route";
import { POST as revokeRoute } from "@/app/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { killAgent } from "@/lib/agents/kill-agent";
import { reactivateAgent } from "@/lib/agents/reactivate-agent";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { getDb } from "@/lib/db/client";
import { createDelegationRule } from "@/lib/delegation/create-delegation-rule";
import { deleteDelegationRule } from "@/lib/delegation/delete-delegation-rule";
import { createGrant } from "@/lib/grants/create-grant";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { type AccessTokenClaims, signAccessToken } from "@/lib/oauth/access-token";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, routeParams } from "../helpers/http";
import { basicAuth, formRequest, makeAgent } from "../helpers/oauth";
import { consoleSession, makeTool, makeTree } from "./authz-helpers";
import { deputy } from "../helpers/cli";

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

let audience: string;
let rsSecret: string;
let adminKey: string;
let tree: Awaited<ReturnType<typeof makeTree>>;
let t1: string;
let t2: string;
let t3: string;
let t4: string;

beforeAll(async () => {
  audience = `https://mcp-${uniqueTag()}.example/`;
  ({ secret: rsSecret } = await createResourceServer(getDb(), { name: "chain mcp", audience }, testActor));
  adminKey = (await makeApiKey()).key;
  tree = await makeTree(["platform", "platform/api", "platform/api/service", "platform/web", "other"]);
  [t1, t2, t3, t4] = await Promise.all([makeTool(), makeTool(), makeTool({ risk: "write" }), makeTool()]).then((ts) => ts.map((t) => t.name));
});

const id = (rel: string) => tree.nodes[rel]!.id;
const path = (rel: string) => [tree.root, rel].filter(Boolean).join("/");

type Party = { id: string; name: string; clientSecret: string };
type Principal = { type: "agent" | "user"; id: string };

/** Grants on `platform` for t1..t3, one single-tool grant each, returned so that a test can revoke one. */
async function grantTools(principal: Principal, tools = [t1, t2, t3]) {
  return Promise.all(tools.map((tool) => createGrant(getDb(), { principal, tool, node: id("platform"), reason: "chain test" }, testActor)));
}

async function agent(): Promise<Party> {
  const a = await makeAgent({ scopes: [t1, t2, t3, t4] });
  return { id: a.agent.id, name: a.agent.name, clientSecret: a.clientSecret };
}

const epochOf = async (agentId: string) => (await getDb().agent.findUniqueOrThrow({ where: { id: agentId } })).tokenEpoch;

/** The person's delegated token for agent A, as the consent flow mints it (optionally naming the next actor in may_act). */
async function consentToken(person: string, a: Party, opts: { mayAct?: string; ttlSeconds?: number } = {}) {
  const epoch = await epochOf(a.id);
  return signAccessToken(getDb(), {
    agentId: a.id,
    tokenEpoch: epoch,
    scope: [t1, t2, t3],
    audience,
    ttlSeconds: opts.ttlSeconds ?? 300,
    subject: person,
    act: { sub: a.id, epoch },
    authorizationDetails: [{ type: "deputy_resource", node: id("platform"), tools: [t1, t2, t3] }],
    ...(opts.mayAct ? { mayAct: { sub: opts.mayAct } } : {}),
  });
}

async function exchange(caller: Party, subjectToken: string, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN, ...extra });
  const res = await tokenRoute(formRequest("/oauth/token", body.toString(), { authorization: basicAuth(caller.id, caller.clientSecret) }));
  expect(res.headers.get("cache-control")).toBe("no-store");
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { access_token: string; error?: string; error_description?: string } };
}

const details = (node: string, tools?: string[], expiry?: number) =>
  JSON.stringify([{ type: "deputy_resource", node, ...(tools ? { tools } : {}), ...(expiry ? { expiry } : {}) }]);

async function introspect(token: string) {
  const res = await introspectRoute(formRequest("/oauth/introspect", `token=${encodeURIComponent(token)}`, { authorization: `Bearer ${adminKey}` }));
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function decide(token: string, tool: string, resource: string) {
  const res = await decisionsRoute(
    new Request("http://localhost:3000/api/v1/decisions", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${rsSecret}` },
      body: JSON.stringify({ token, tool, resource }),
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { decision: string; decision_id: string; reasons: { code: string; message: string; principal?: { id: string } }[] };
}

/**
 * Human -> A -> B -> C over real exchanges: A's consent names B in may_act; an admin rule lets B delegate to C.
 * B gets t1 t2 on platform/api; C gets t1 on platform/api/service.
 */
async function buildChain() {
  const { user: person } = await makeUser();
  const [a, b, c] = [await agent(), await agent(), await agent()];
  for (const p of [{ type: "user", id: person.id }, ...[a, b, c].map((x) => ({ type: "agent", id: x.id }))] as Principal[]) await grantTools(p);
  const human = await consentToken(person.id, a, { mayAct: b.id });
  const hopB = await exchange(b, human.token, { scope: `${t1} ${t2}`, authorization_details: details(id("platform/api"), [t1, t2]) });
  expect(hopB.status).toBe(200);
  await createDelegationRule(getDb(), { from: b.id, to: c.id }, testActor);
  const hopC = await exchange(c, hopB.body.access_token, { scope: t1, authorization_details: details(path("platform/api/service"), [t1]) });
  expect(hopC.status).toBe(200);
  return { person, a, b, c, human, tokenB: hopB.body.access_token, tokenC: hopC.body.access_token };
}

describe("token exchange: Human -> A -> B -> C", () => {
  it("each hop narrows scope, subtree and expiry; every widening is refused with its error", async () => {
    const { user: person } = await makeUser();
    const [a, b, c, d] = [await agent(), await agent(), await agent(), await agent()];
    const human = await consentToken(person.id, a, { mayAct: b.id, ttlSeconds: 300 });

    // hop A -> B: wider scope, a subtree above or beside the consent's, a later expiry, tools beyond the scope
    const wider = await exchange(b, human.token, { scope: `${t1} ${t4}` });
    expect(wider).toEqual({
      status: 400,
      body: { error: "invalid_scope", error_description: `The requested scope is wider than the subject token's (${t1} ${t2} ${t3}): ${t4}` },
    });
    const above = await exchange(b, human.token, { authorization_details: details(id("")) });
    expect(above.status).toBe(400);
    expect(above.body).toEqual({ error: "invalid_target", error_description: `${tree.root} is outside the subject token's delegated subtree (${path("platform")})` });
    const beside = await exchange(b, human.token, { authorization_details: details(path("other")) });
    expect(beside.body.error).toBe("invalid_target");
    const later = await exchange(b, human.token, { authorization_details: details(id("platform/api"), [t1], human.claims.exp + 60) });
    expect(later.body).toEqual({
      error: "invalid_authorization_details",
      error_description: `The expiry asked for ${path("platform/api")} (${human.claims.exp + 60}) is later than the subject token's expiry (${human.claims.exp})`,
    });
    const toolsBeyond = await exchange(b, human.token, { scope: t1, authorization_details: details(id("platform/api"), [t1, t2]) });
    expect(toolsBeyond.body).toMatchObject({ error: "invalid_scope" });
    expect(toolsBeyond.body.error_description).toContain(`outside the token's scope: ${t2}`);

    // hop A -> B, narrowed: scope t1 t2, platform/api
    const hopB = await exchange(b, human.token, { scope: `${t1} ${t2}`, authorization_details: details(id("platform/api"), [t1, t2]) });
    expect(hopB.status).toBe(200);
    expect(hopB.body).toMatchObject({ token_type: "Bearer", scope: `${t1} ${t2}`, issued_token_type: ACCESS_TOKEN });
    const claimsB = decodeJwt(hopB.body.access_token) as AccessTokenClaims;
    expect(claimsB).toMatchObject({
      sub: person.id,
      client_id: b.id,
      aud: audience,
      act: { sub: b.id, epoch: await epochOf(b.id), act: { sub: a.id, epoch: await epochOf(a.id) } },
      authorization_details: [{ type: "deputy_resource", node: id("platform/api"), tools: [t1, t2] }],
    });
    // B's own lifetime (600 s) is cut to the consent's
    expect(claimsB.exp).toBeLessThanOrEqual(human.claims.exp);
    expect(hopB.body.expires_in).toBeLessThanOrEqual(300);

    // hop B -> C: C is neither in B's token's may_act nor allowed by a rule
    const noRule = await exchange(c, hopB.body.access_token, { scope: t1 });
    expect(noRule).toEqual({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description:
          `agent ${c.name} may not act for user ${person.email} -> agent ${a.name} -> agent ${b.name}: the subject token's may_act does not name it ` +
          `and no delegation rule lets agent ${b.name} delegate to it`,
      },
    });
    await createDelegationRule(getDb(), { from: b.id, to: c.id }, testActor);
    expect((await exchange(c, hopB.body.access_token, { scope: `${t1} ${t3}` })).body).toMatchObject({ error: "invalid_scope" });
    expect((await exchange(c, hopB.body.access_token, { authorization_details: details(id("platform")) })).body).toMatchObject({ error: "invalid_target" });
    expect((await exchange(c, hopB.body.access_token, { authorization_details: details(id("platform/web")) })).body).toMatchObject({ error: "invalid_target" });
    expect((await exchange(c, hopB.body.access_token, { authorization_details: details(id("platform/api/service"), [t1], claimsB.exp + 1) })).body).toMatchObject({
      error: "invalid_authorization_details",
    });
    // the tools of B's delegation, not just its scope, bound C's: t3 was never delegated on platform/api
    expect((await exchange(c, hopB.body.access_token, { scope: t3 })).body).toMatchObject({ error: "invalid_scope" });

    const hopC = await exchange(c, hopB.body.access_token, { scope: t1, authorization_details: details(path("platform/api/service"), [t1]) });
    expect(hopC.status).toBe(200);
    const claimsC = decodeJwt(hopC.body.access_token) as AccessTokenClaims;
    expect(claimsC).toMatchObject({
      sub: person.id,
      client_id: c.id,
      scope: t1,
      act: { sub: c.id, act: { sub: b.id, act: { sub: a.id } } },
      authorization_details: [{ type: "deputy_resource", node: id("platform/api/service"), tools: [t1] }],
    });
    expect(claimsC.exp).toBeLessThanOrEqual(claimsB.exp);

    // C -> D would be a fourth hop: the default maximum is 3
    await createDelegationRule(getDb(), { from: c.id, to: d.id }, testActor);
    expect(await exchange(d, hopC.body.access_token)).toEqual({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description:
          `The delegation chain user ${person.email} -> agent ${a.name} -> agent ${b.name} -> agent ${c.name} -> agent ${d.name} would have 4 hops; ` +
          "at most 3 are allowed (DEPUTY_MAX_DELEGATION_DEPTH)",
      },
    });

    // the audit trail can reconstruct the path: subject first, then each actor
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "token.exchange", actorId: c.id } });
    expect(JSON.parse(event.details)).toMatchObject({ jti: claimsC.jti, subjectJti: claimsB.jti, chain: [person.id, a.id, b.id, c.id], scope: t1 });
    expect(event.details).not.toContain(hopC.body.access_token);
  });

  it("introspection at C returns the whole chain and where the token may act", async () => {
    const { person, a, b, c, tokenC } = await buildChain();
    const r = await introspect(tokenC);
    expect(r).toMatchObject({
      active: true,
      sub: person.id,
      client_id: c.id,
      scope: t1,
      act: { sub: c.id, epoch: await epochOf(c.id), act: { sub: b.id, epoch: await epochOf(b.id), act: { sub: a.id, epoch: await epochOf(a.id) } } },
      authorization_details: [{ type: "deputy_resource", node: id("platform/api/service"), tools: [t1] }],
    });
  });

  it("a decision at C needs every principal of the chain to hold the tool, and stays inside the delegated subtree", async () => {
    const { user: person } = await makeUser();
    const [a, b, c] = [await agent(), await agent(), await agent()];
    const principals: Principal[] = [{ type: "user", id: person.id }, ...[a, b, c].map((x) => ({ type: "agent" as const, id: x.id }))];
    const grants = new Map<string, string>();
    for (const p of principals) grants.set(p.id, (await grantTools(p, [t1]))[0]!.id);
    const human = await consentToken(person.id, a, { mayAct: b.id });
    const tokenB = (await exchange(b, human.token, { scope: `${t1} ${t2}`, authorization_details: details(id("platform/api"), [t1, t2]) })).body.access_token;
    await createDelegationRule(getDb(), { from: b.id, to: c.id }, testActor);
    const tokenC = (await exchange(c, tokenB, { scope: t1, authorization_details: details(id("platform/api/service"), [t1]) })).body.access_token;

    const ok = await decide(tokenC, t1, path("platform/api/service"));
    expect(ok.decision).toBe("allow");
    // one "granted" reason per principal: the person and every actor of the chain were each checked
    expect(ok.reasons.map((r) => r.principal?.id).sort()).toEqual(principals.map((p) => p.id).sort());
    // and its audit event names them all: the person, and each agent of the chain, C as the caller
    const event = await getDb().auditEvent.findUniqueOrThrow({ where: { id: ok.decision_id } });
    expect(event).toMatchObject({ action: "decision.make", result: "allow", actorId: c.id, targetId: id("platform/api/service") });
    expect((JSON.parse(event.details) as { principals: string[] }).principals.sort()).toEqual(principals.map((p) => `${p.type}:${p.id}`).sort());

    // every principal holds t1 on platform, but the token was delegated for platform/api/service only
    const outside = await decide(tokenC, t1, path("platform/web"));
    expect(outside).toMatchObject({ decision: "deny", reasons: [{ code: "outside_delegation" }] });
    expect(outside.reasons[0]!.message).toBe(
      `${path("platform/web")} is outside the token's delegation: the token is delegated for ${path("platform/api/service")} only`,
    );
    expect((await decide(tokenC, t2, path("platform/api/service"))).reasons[0]!.code).toBe("not_in_scope");

    // take away one hop's grant at a time: deny naming exactly that principal; give it back: allow again
    for (const p of principals) {
      await revokeGrant(getDb(), grants.get(p.id)!, testActor);
      const denied = await decide(tokenC, t1, path("platform/api/service"));
      expect(denied.decision).toBe("deny");
      expect(denied.reasons[0]).toMatchObject({ code: "no_grant", principal: { id: p.id } });
      const name = p.type === "user" ? person.email : [a, b, c].find((x) => x.id === p.id)!.name;
      expect(denied.reasons[0]!.message).toBe(`${p.type} ${name} has no grant for ${t1} on ${path("platform/api/service")}`);
      grants.set(p.id, (await grantTools(p, [t1]))[0]!.id);
      expect((await decide(tokenC, t1, path("platform/api/service"))).decision).toBe("allow");
    }
  });

  it("killing B makes C's token inactive everywhere", async () => {
    const { b, tokenB, tokenC } = await buildChain();
    expect((await introspect(tokenC)).active).toBe(true);
    expect((await decide(tokenC, t1, path("platform/api/service"))).decision).toBe("allow");
    await killAgent(getDb(), b.id, { confirm: b.name }, testActor);
    expect(await introspect(tokenC)).toEqual({ active: false });
    expect(await introspect(tokenB)).toEqual({ active: false });
    const denied = await decide(tokenC, t1, path("platform/api/service"));
    expect(denied).toMatchObject({ decision: "deny", reasons: [{ code: "agent_killed" }] });
    expect(denied.reasons[0]!.message).toContain(`names in its delegation chain agent ${b.name}`);
  });

  it("an inactive subject token cannot be exchanged: revoked, malformed, or held by a suspended agent", async () => {
    const { person, a, b, c, tokenB } = await buildChain();
    const revoked = await consentToken(person.id, a);
    const res = await revokeRoute(formRequest("/oauth/revoke", `token=${encodeURIComponent(revoked.token)}`, { authorization: basicAuth(a.id, a.clientSecret) }));
    expect(res.status).toBe(200);
    expect((await exchange(c, revoked.token)).body).toEqual({ error: "invalid_grant", error_description: "The subject token is not active (revoked)" });
    expect((await exchange(c, "not.a.token")).body).toEqual({ error: "invalid_grant", error_description: "The subject token is not active (malformed)" });
    expect((await exchange(c, tokenB, { scope: t1 })).status).toBe(200);
    await suspendAgent(getDb(), b.id, testActor);
    expect((await exchange(c, tokenB, { scope: t1 })).body).toEqual({ error: "invalid_grant", error_description: "The subject token is not active (agent not active)" });
  });
});

describe("token exchange: who may act", () => {
  it("an agent's own token: a delegation rule lets the next agent act, withdrawing it stops new exchanges", async () => {
    const [a, b] = [await agent(), await agent()];
    const own = await tokenRoute(
      formRequest("/oauth/token", `grant_type=client_credentials&scope=${encodeURIComponent(`${t1} ${t2}`)}&resource=${encodeURIComponent(audience)}`, {
        authorization: basicAuth(a.id, a.clientSecret),
      }),
    );
    const ownToken = ((await own.json()) as { access_token: string }).access_token;
    expect((await exchange(b, ownToken)).body.error).toBe("invalid_grant");

    await createDelegationRule(getDb(), { from: a.id, to: b.id }, testActor);
    const r = await exchange(b, ownToken, { scope: t1 });
    expect(r.status).toBe(200);
    // the agent is the subject; B the one actor; no subtree was ever set, so none is invented
    const claims = decodeJwt(r.body.access_token) as AccessTokenClaims;
    expect(claims).toMatchObject({ sub: a.id, client_id: b.id, scope: t1, act: { sub: b.id, epoch: await epochOf(b.id) } });
    expect(claims.act?.act).toBeUndefined();
    expect(claims.authorization_details).toBeUndefined();

    await deleteDelegationRule(getDb(), { from: a.id, to: b.id }, testActor);
    expect((await exchange(b, ownToken)).body.error).toBe("invalid_grant");
  });

  it("an agent subject's epoch travels with the exchanged token: suspending that agent ends it for good, as it ends the agent's own", async () => {
    const [a, b] = [await agent(), await agent()];
    const own = await tokenRoute(
      formRequest("/oauth/token", `grant_type=client_credentials&scope=${encodeURIComponent(t1)}&resource=${encodeURIComponent(audience)}`, {
        authorization: basicAuth(a.id, a.clientSecret),
      }),
    );
    const ownToken = ((await own.json()) as { access_token: string }).access_token;
    await createDelegationRule(getDb(), { from: a.id, to: b.id }, testActor);
    const r = await exchange(b, ownToken, { scope: t1 });
    expect(r.status).toBe(200);
    expect(decodeJwt(r.body.access_token)).toMatchObject({ sub: a.id, sub_epoch: await epochOf(a.id) });
    // B narrowing its own delegated token keeps A's epoch
    const narrowed = await exchange(b, r.body.access_token, { scope: t1 });
    expect(narrowed.status).toBe(200);
    expect(decodeJwt(narrowed.body.access_token)).toMatchObject({ sub: a.id, sub_epoch: await epochOf(a.id) });
    expect(await introspect(r.body.access_token)).toMatchObject({ active: true });

    await suspendAgent(getDb(), a.id, testActor);
    await reactivateAgent(getDb(), a.id, testActor);
    // A is active again, but neither its own token from before nor B's tokens acting for it come back
    for (const token of [ownToken, r.body.access_token, narrowed.body.access_token]) expect(await introspect(token)).toEqual({ active: false });
    const denied = await decide(r.body.access_token, t1, path("platform"));
    expect(denied.decision).toBe("deny");
    expect(denied.reasons[0]!.code).toBe("token_inactive");
    expect(denied.reasons[0]!.message).toContain("subject epoch changed");
  });

  it("the holder may narrow its own token without adding a hop", async () => {
    const { user: person } = await makeUser();
    const a = await agent();
    const human = await consentToken(person.id, a);
    const r = await exchange(a, human.token, { scope: t2, authorization_details: details(id("platform/web"), [t2]) });
    expect(r.status).toBe(200);
    const claims = decodeJwt(r.body.access_token) as AccessTokenClaims;
    expect(claims).toMatchObject({ sub: person.id, client_id: a.id, scope: t2, act: { sub: a.id } });
    expect(claims.act?.act).toBeUndefined();
  });

  it("a may_act naming another agent does not let this one act", async () => {
    const { user: person } = await makeUser();
    const [a, b, intruder] = [await agent(), await agent(), await agent()];
    const human = await consentToken(person.id, a, { mayAct: b.id });
    expect((await exchange(intruder, human.token)).body.error).toBe("invalid_grant");
  });
});

describe("token exchange: the request", () => {
  it("refuses other token types, actor tokens and a missing subject token; metadata lists the grant", async () => {
    const { user: person } = await makeUser();
    const a = await agent();
    const { token } = await consentToken(person.id, a);
    const call = (params: Record<string, string>) =>
      tokenRoute(formRequest("/oauth/token", new URLSearchParams({ grant_type: TOKEN_EXCHANGE, ...params }).toString(), { authorization: basicAuth(a.id, a.clientSecret) })).then(
        async (res) => ({ status: res.status, body: await res.json() }),
      );
    expect(await call({ subject_token_type: ACCESS_TOKEN })).toEqual({ status: 400, body: { error: "invalid_request", error_description: "subject_token is required" } });
    expect((await call({ subject_token: token, subject_token_type: "urn:ietf:params:oauth:token-type:id_token" })).body).toEqual({
      error: "invalid_request",
      error_description: `subject_token_type must be ${ACCESS_TOKEN}: Deputy exchanges only its own access tokens`,
    });
    expect((await call({ subject_token: token, subject_token_type: ACCESS_TOKEN, requested_token_type: "urn:ietf:params:oauth:token-type:refresh_token" })).body.error).toBe(
      "invalid_request",
    );
    expect((await call({ subject_token: token, subject_token_type: ACCESS_TOKEN, actor_token: token })).body).toEqual({
      error: "invalid_request",
      error_description: "actor_token is not accepted: the authenticated client is the actor",
    });
    expect((await call({ subject_token: token, subject_token_type: ACCESS_TOKEN, authorization_details: "[{\"type\":\"other\"}]" })).body.error).toBe(
      "invalid_authorization_details",
    );
    const unauthenticated = await tokenRoute(formRequest("/oauth/token", new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: token, subject_token_type: ACCESS_TOKEN }).toString()));
    expect(unauthenticated.status).toBe(401);

    const metadata = (await metadataRoute().json()) as { grant_types_supported: string[]; authorization_details_types_supported: string[] };
    expect(metadata.grant_types_supported).toContain(TOKEN_EXCHANGE);
    expect(metadata.authorization_details_types_supported).toEqual(["deputy_resource"]);
  });
});

describe("/api/v1/delegation-rules", () => {
  it("admins allow, list and withdraw; duplicates, unknown agents and other roles are refused", async () => {
    const [a, b] = [await agent(), await agent()];
    const post = (json: unknown, key = adminKey) => createRuleRoute(apiRequest("/api/v1/delegation-rules", { key, json }));
    const created = await post({ from: a.id, to: b.id });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ from: { id: a.id, name: a.name }, to: { id: b.id, name: b.name } });
    expect(await (await post({ from: a.id, to: b.id })).json()).toEqual(apiError("conflict", `${a.name} may already delegate to ${b.name}`));
    expect(await (await post({ from: a.id, to: "agt_nope" })).json()).toEqual(apiError("not_found", "Agent agt_nope not found"));
    expect((await post({ from: a.id, to: a.id })).status).toBe(400);

    const viewer = await consoleSession("viewer");
    const asViewer = await createRuleRoute(apiRequest("/api/v1/delegation-rules", { session: viewer.session, headers: viewer.headers, json: { from: b.id, to: a.id } }));
    expect(asViewer.status).toBe(403);
    const listed = await listRulesRoute(apiRequest(`/api/v1/delegation-rules?agent=${b.id}`, { session: viewer.session }));
    expect(((await listed.json()) as { rules: unknown[] }).rules).toEqual([expect.objectContaining({ from: { id: a.id, name: a.name }, to: { id: b.id, name: b.name } })]);

    const del = () => deleteRuleRoute(apiRequest(`/api/v1/delegation-rules/${a.id}/${b.id}`, { key: adminKey, method: "DELETE" }), routeParams({ fromAgentId: a.id, toAgentId: b.id }));
    expect(await (await del()).json()).toEqual({ from: a.id, to: b.id });
    expect((await del()).status).toBe(404);
    const events = await getDb().auditEvent.findMany({ where: { action: { in: ["delegation_rule.create", "delegation_rule.delete"] }, targetId: a.id } });
    expect(events.map((e) => e.action).sort()).toEqual(["delegation_rule.create", "delegation_rule.delete"]);
  });
});

describe("deputy delegation", () => {
  it("allow, list and deny from the command line", async () => {
    const [a, b] = [await agent(), await agent()];
    const allowed = await deputy(["delegation", "allow", "--from", a.id, "--to", b.id]);
    expect(allowed).toEqual({ code: 0, stdout: `${a.name} (${a.id}) may now delegate to ${b.name} (${b.id})\n`, stderr: "" });
    const listed = await deputy(["delegation", "list", "--agent", a.id, "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ from: { id: a.id, name: a.name }, to: { id: b.id, name: b.name } })]);
    expect(await deputy(["delegation", "deny", "--from", a.id, "--to", b.id])).toMatchObject({ code: 0, stdout: `${a.id} may no longer delegate to ${b.id}\n` });
    expect(await deputy(["delegation", "deny", "--from", a.id, "--to", b.id])).toMatchObject({ code: 1, stderr: "deputy: Delegation rule not found\n" });
  });
});
