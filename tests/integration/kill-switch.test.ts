// The kill switch end to end through the real routes: an agent with live tokens, and delegated tokens that name it
// anywhere in their chain (signed with Deputy's own signing key), is killed; every token is refused by introspection
// and by decisions within a measured bound; its secrets and keys are revoked, pending approvals cancelled, the
// webhook queued; restore needs and returns a new secret.
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as killRoute } from "@/app/api/v1/agents/[agentId]/kill/route";
import { POST as reactivateRoute } from "@/app/api/v1/agents/[agentId]/reactivate/route";
import { POST as restoreRoute } from "@/app/api/v1/agents/[agentId]/restore/route";
import { POST as decisionsRoute } from "@/app/api/v1/decisions/route";
import { POST as introspectRoute } from "@/app/oauth/introspect/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { createAgent } from "@/lib/agents/create-agent";
import { killAgent } from "@/lib/agents/kill-agent";
import { simulateDecision } from "@/lib/authz/simulate-decision";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { activeSigningKey, SIGNING_ALG } from "@/lib/keys/signing-keys";
import { ACCESS_TOKEN_TYP, type ActorClaim } from "@/lib/oauth/access-token";
import { issuer } from "@/lib/oauth/issuer";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { basicAuth, formRequest, makeAgentKey } from "../helpers/oauth";
import { consoleSession, makeGrant, makeTool, makeTree } from "./authz-helpers";

/** Property 6 of the product: after the kill switch nothing the agent holds is honoured, within one second. */
const EFFECT_BOUND_MS = 1_000;

let adminKey: string;
let audience: string;
let rsSecret: string;
let tool: string;
let tree: Awaited<ReturnType<typeof makeTree>>;

beforeAll(async () => {
  adminKey = (await makeApiKey()).key;
  audience = `https://kill-${uniqueTag()}.example/`;
  ({ secret: rsSecret } = await createResourceServer(getDb(), { name: "kill test server", audience }, testActor));
  tree = await makeTree(["work"]);
  tool = (await makeTool({ risk: "read" })).name;
});

async function agentWithSecret(name = `k-${uniqueTag()}`) {
  const { user } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(getDb(), { name, owner: user.email, allowedScopes: [tool] }, testActor);
  await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool });
  return { agent, secret: clientSecret! };
}

async function tokenFor(id: string, secret: string) {
  return tokenRoute(formRequest("/oauth/token", `grant_type=client_credentials&scope=${tool}&resource=${encodeURIComponent(audience)}`, { authorization: basicAuth(id, secret) }));
}

async function issue(id: string, secret: string): Promise<string> {
  const res = await tokenFor(id, secret);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * A delegated token as token exchange would issue it: subject `sub`, issued to `clientId` (whose epoch it carries),
 * with an `act` chain. Signed with Deputy's active signing key through the same key code the token endpoint uses.
 */
async function delegatedToken(input: { sub: string; clientId: string; act: ActorClaim }) {
  const db = getDb();
  const client = await db.agent.findUniqueOrThrow({ where: { id: input.clientId } });
  const key = await activeSigningKey(db);
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: input.sub, client_id: input.clientId, aud: audience, scope: tool, jti: newId("token"), epoch: client.tokenEpoch, act: input.act })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(issuer())
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600)
    .sign(key.signingKey);
}

async function introspect(token: string): Promise<boolean> {
  const res = await introspectRoute(formRequest("/oauth/introspect", `token=${encodeURIComponent(token)}`, { authorization: `Bearer ${adminKey}` }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { active: boolean }).active;
}

async function decide(token: string) {
  const res = await decisionsRoute(apiRequest("/api/v1/decisions", { authorization: `Bearer ${rsSecret}`, json: { token, tool, resource: tree.nodes.work!.id } }));
  expect(res.status).toBe(200);
  return (await res.json()) as { decision: string; reasons: { code: string; message: string }[] };
}

const kill = (id: string, body: unknown, key = adminKey) => killRoute(apiRequest(`/api/v1/agents/${id}/kill`, { key, json: body }), routeParams({ agentId: id }));

describe("POST /api/v1/agents/{id}/kill", () => {
  it("refuses every token the agent holds or is named in, at introspection and decisions, within 1 s", async () => {
    const target = await agentWithSecret();
    const other = await agentWithSecret();
    const { user } = await makeUser();
    await makeGrant({ principal: { type: "user", id: user.id }, node: tree.nodes[""]!.id, tool });

    const own = [await issue(target.agent.id, target.secret), await issue(target.agent.id, target.secret)];
    const delegated = [
      // the killed agent acts for a person
      await delegatedToken({ sub: user.id, clientId: target.agent.id, act: { sub: target.agent.id } }),
      // the killed agent is the first hop; another agent holds the token now
      await delegatedToken({ sub: user.id, clientId: other.agent.id, act: { sub: other.agent.id, act: { sub: target.agent.id } } }),
      // the killed agent is the subject another agent acts for
      await delegatedToken({ sub: target.agent.id, clientId: other.agent.id, act: { sub: other.agent.id } }),
    ];
    const bystander = await delegatedToken({ sub: user.id, clientId: other.agent.id, act: { sub: other.agent.id } });
    for (const token of [...own, ...delegated, bystander]) {
      expect(await introspect(token)).toBe(true);
      expect((await decide(token)).decision).toBe("allow");
    }

    const pulled = performance.now();
    const res = await kill(target.agent.id, { confirm: target.agent.name });
    expect(res.status).toBe(200);
    // poll as a resource server would, until every token is refused by both, or the bound has passed
    const pending = new Set([...own, ...delegated]);
    const reasons: string[] = [];
    while (pending.size > 0 && performance.now() - pulled < EFFECT_BOUND_MS * 2) {
      for (const token of [...pending]) {
        const [active, decision] = await Promise.all([introspect(token), decide(token)]);
        if (!active && decision.decision === "deny") {
          pending.delete(token);
          reasons.push(decision.reasons[0]!.code);
        }
      }
    }
    const elapsed = performance.now() - pulled;
    expect(pending.size).toBe(0);
    expect(elapsed).toBeLessThan(EFFECT_BOUND_MS);
    expect(reasons).toEqual(Array(5).fill("agent_killed"));
    const denied = await decide(delegated[1]!);
    expect(denied.reasons[0]!.message).toBe(
      `The token is refused: it names in its delegation chain agent ${target.agent.name}, which was cut off with the kill switch`,
    );
    expect((await decide(delegated[2]!)).reasons[0]!.message).toBe(
      `The token is refused: it acts for agent ${target.agent.name}, which was cut off with the kill switch`,
    );
    expect((await decide(own[0]!)).reasons[0]!.message).toBe(`The token is refused: it holds agent ${target.agent.name}, which was cut off with the kill switch`);

    // a token that never named the killed agent is untouched
    expect(await introspect(bystander)).toBe(true);
    expect((await decide(bystander)).decision).toBe("allow");
  });

  it("revokes every secret and key, cancels pending approvals, audits and queues agent.killed in one go", async () => {
    const db = getDb();
    const { agent, secret } = await agentWithSecret();
    const key = await makeAgentKey(agent.id);
    const webhook = await db.webhook.create({
      data: { id: newId("webhook"), name: `kill hook ${uniqueTag()}`, url: "https://hooks.example/deputy", events: "agent.killed", secretEnc: "sealed", secretLast4: "abcd" },
    });
    const approval = (status: string) =>
      db.approvalRequest.create({
        data: {
          id: newId("approval"),
          status,
          source: "agent",
          agentId: agent.id,
          principals: JSON.stringify([`agent:${agent.id}`]),
          toolName: tool,
          nodeId: tree.nodes.work!.id,
          paramsHash: "0".repeat(64),
          params: "{}",
          policy: "any",
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
    const pending = await approval("pending");
    const approved = await approval("approved");

    const res = await kill(agent.id, { confirm: agent.name, reason: "credentials leaked in a log" });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.agent).toMatchObject({ id: agent.id, status: "killed", activeSecrets: 0 });
    expect(body.agent.killedAt).toEqual(expect.any(String));
    expect(body.cancelledApprovalIds).toEqual([pending.id]);
    expect(body.revokedKeyIds).toHaveLength(1);
    expect(JSON.stringify(body)).not.toContain(secret);

    const row = await db.agent.findUniqueOrThrow({ where: { id: agent.id }, include: { secrets: true, publicKeys: true } });
    expect(row.tokenEpoch).toBe(1);
    expect(row.secrets.every((s) => s.revokedAt !== null)).toBe(true);
    expect(row.publicKeys.map((k) => k.revokedAt !== null)).toEqual([true]);
    expect((await db.approvalRequest.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("cancelled");
    expect((await db.approvalRequest.findUniqueOrThrow({ where: { id: approved.id } })).status).toBe("approved");

    // the secret no longer authenticates at the token endpoint
    const refused = await tokenFor(agent.id, secret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_client" });

    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "agent.kill", targetId: agent.id } });
    expect(JSON.parse(event.details)).toMatchObject({ name: agent.name, previousStatus: "active", reason: "credentials leaked in a log", cancelledApprovalIds: [pending.id] });
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(delivery.event).toBe("agent.killed");
    expect(JSON.parse(delivery.payload).data).toEqual({ agent_id: agent.id, agent_name: agent.name, killed_at: row.killedAt!.toISOString(), reason: "credentials leaked in a log" });
    await db.webhook.delete({ where: { id: webhook.id } });

    // grants stay on record but grant nothing
    expect(await db.grant.count({ where: { principalId: agent.id, revokedAt: null } })).toBe(1);
    const simulated = await simulateDecision(db, { agentId: agent.id, tool, resource: tree.nodes.work!.id });
    expect(simulated).toMatchObject({ decision: "deny", reasons: [{ code: "agent_killed" }] });

    // killing twice is a conflict, and reactivate is no way back
    expect(await json(await kill(agent.id, { confirm: agent.name }))).toEqual(apiError("conflict", "This agent is already killed"));
    const reactivated = await reactivateRoute(apiRequest(`/api/v1/agents/${agent.id}/reactivate`, { key: adminKey, method: "POST" }), routeParams({ agentId: agent.id }));
    expect(reactivated.status).toBe(409);
  });

  it("a confirmation that is not the agent's name is a 400 and changes nothing", async () => {
    const { agent, secret } = await agentWithSecret();
    const token = await issue(agent.id, secret);
    for (const confirm of [agent.id, agent.name.toUpperCase(), `${agent.name}x`, ""]) {
      const res = await kill(agent.id, { confirm });
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(apiError("bad_request", "The confirmation does not match the agent's name; type its name exactly"));
    }
    expect((await kill(agent.id, {})).status).toBe(400);
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("active");
    expect(await introspect(token)).toBe(true);
  });

  it("only admins pull it; an unknown agent is a 404", async () => {
    const { agent } = await agentWithSecret();
    for (const role of ["approver", "auditor", "viewer"] as const) {
      const s = await consoleSession(role);
      const res = await killRoute(apiRequest(`/api/v1/agents/${agent.id}/kill`, { session: s.session, headers: s.headers, json: { confirm: agent.name } }), routeParams({ agentId: agent.id }));
      expect(res.status).toBe(403);
    }
    const admin = await consoleSession("admin");
    const cross = await killRoute(apiRequest(`/api/v1/agents/${agent.id}/kill`, { session: admin.session, json: { confirm: agent.name } }), routeParams({ agentId: agent.id }));
    expect(cross.status).toBe(403); // a cookie-authenticated write without our Origin
    expect(await json(await kill("agt_nope", { confirm: "x" }))).toEqual(apiError("not_found", "Agent not found"));
    const res = await killRoute(apiRequest(`/api/v1/agents/${agent.id}/kill`, { session: admin.session, headers: admin.headers, json: { confirm: agent.name } }), routeParams({ agentId: agent.id }));
    expect(res.status).toBe(200);
  });
});

describe("POST /api/v1/agents/{id}/restore", () => {
  const restore = (id: string, body: unknown = {}) => restoreRoute(apiRequest(`/api/v1/agents/${id}/restore`, { key: adminKey, json: body }), routeParams({ agentId: id }));

  it("is refused unless the agent is killed; then returns a new secret once, and nothing old comes back", async () => {
    const { agent, secret } = await agentWithSecret();
    const { user } = await makeUser();
    const other = await agentWithSecret();
    expect(await json(await restore(agent.id))).toEqual(apiError("conflict", "Only a killed agent is restored; this one is not killed"));
    expect((await restore("agt_nope")).status).toBe(404);

    const old = await issue(agent.id, secret);
    const oldDelegated = await delegatedToken({ sub: user.id, clientId: other.agent.id, act: { sub: other.agent.id, act: { sub: agent.id } } });
    await killAgent(getDb(), agent.id, { confirm: agent.name }, testActor);
    const res = await restore(agent.id);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.agent).toMatchObject({ id: agent.id, status: "active", activeSecrets: 1 });
    expect(body.clientSecret).toMatch(/^dps_/);
    expect(body.clientSecret).not.toBe(secret);

    // the new secret works; the old one, the old token and the delegated token from before the kill stay dead
    const fresh = await issue(agent.id, body.clientSecret);
    expect(await introspect(fresh)).toBe(true);
    expect((await tokenFor(agent.id, secret)).status).toBe(401);
    expect(await introspect(old)).toBe(false);
    expect(await introspect(oldDelegated)).toBe(false);
    expect((await decide(oldDelegated)).reasons[0]!.code).toBe("agent_killed");

    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "agent.restore", targetId: agent.id } });
    expect(event.details).not.toContain(body.clientSecret);
    expect(await json(await restore(agent.id))).toEqual(apiError("conflict", "Only a killed agent is restored; this one is not killed"));
  });
});
