// Freezes (incident mode) through the real routes: freeze every agent or the agents whose grants reach a subtree,
// their tokens stop at once; lifting reactivates exactly the agents that freeze still holds.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as liftRoute } from "@/app/api/v1/freezes/[freezeId]/lift/route";
import { GET as listRoute, POST as freezeRoute } from "@/app/api/v1/freezes/route";
import { POST as introspectRoute } from "@/app/oauth/introspect/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { createAgent } from "@/lib/agents/create-agent";
import { killAgent } from "@/lib/agents/kill-agent";
import { reactivateAgent } from "@/lib/agents/reactivate-agent";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { getDb } from "@/lib/db/client";
import { createFreeze } from "@/lib/freezes/create-freeze";
import { liftFreeze } from "@/lib/freezes/lift-freeze";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { basicAuth, formRequest } from "../helpers/oauth";
import { consoleSession, makeGrant, makeTool, makeTree } from "./authz-helpers";

let adminKey: string;
let tool: string;
let tree: Awaited<ReturnType<typeof makeTree>>;

beforeAll(async () => {
  adminKey = (await makeApiKey()).key;
  tree = await makeTree(["inc", "inc/api", "other"]);
  tool = (await makeTool()).name;
});

// a freeze of everything touches every agent of the shared test database: never leave one in force
afterEach(async () => {
  for (const f of await getDb().freeze.findMany({ where: { liftedAt: null } })) await liftFreeze(getDb(), f.id, testActor);
});

/** An agent with a grant on `node` (path below the tree's root; "" is the root), and a live token. */
async function agentOn(node: string | null, on = tree) {
  const { user } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(getDb(), { name: `f-${uniqueTag()}`, owner: user.email, allowedScopes: [tool] }, testActor);
  const grant = node === null ? null : await makeGrant({ principal: { type: "agent", id: agent.id }, node: on.nodes[node]!.id, tool });
  const res = await tokenRoute(formRequest("/oauth/token", `grant_type=client_credentials&scope=${tool}`, { authorization: basicAuth(agent.id, clientSecret!) }));
  expect(res.status).toBe(200);
  return { agent, secret: clientSecret!, grant, token: ((await res.json()) as { access_token: string }).access_token };
}

async function active(token: string) {
  const res = await introspectRoute(formRequest("/oauth/introspect", `token=${encodeURIComponent(token)}`, { authorization: `Bearer ${adminKey}` }));
  return ((await res.json()) as { active: boolean }).active;
}

const statusOf = async (id: string) => (await getDb().agent.findUniqueOrThrow({ where: { id } })).status;
const freeze = (body: unknown, key = adminKey) => freezeRoute(apiRequest("/api/v1/freezes", { key, json: body }));
const lift = (id: string) => liftRoute(apiRequest(`/api/v1/freezes/${id}/lift`, { key: adminKey, method: "POST" }), routeParams({ freezeId: id }));

describe("freezes", () => {
  it("a subtree freeze suspends the agents whose grants reach it (inside or above), not the ones beside it", async () => {
    const inside = await agentOn("inc/api");
    const above = await agentOn("");
    const beside = await agentOn("other");
    const revoked = await agentOn("inc");
    await revokeGrant(getDb(), revoked.grant!.id, testActor);
    const alreadySuspended = await agentOn("inc");
    await suspendAgent(getDb(), alreadySuspended.agent.id, testActor);

    const res = await freeze({ node: `${tree.root}/inc`, reason: "suspicious pushes on inc" });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ nodeId: tree.nodes.inc!.id, nodePath: `${tree.root}/inc`, reason: "suspicious pushes on inc", active: true, frozenAgents: 2 });
    expect(body.agentIds.sort()).toEqual([inside.agent.id, above.agent.id].sort());

    expect(await active(inside.token)).toBe(false);
    expect(await active(above.token)).toBe(false);
    expect(await active(beside.token)).toBe(true);
    expect(await active(revoked.token)).toBe(true);
    const frozen = await getDb().agent.findUniqueOrThrow({ where: { id: inside.agent.id } });
    expect(frozen).toMatchObject({ status: "suspended", frozenById: body.id, tokenEpoch: 1 });
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: alreadySuspended.agent.id } })).frozenById).toBeNull();

    const listed = await json(await listRoute(apiRequest("/api/v1/freezes?active=true", { key: adminKey })));
    expect(listed.freezes.map((f: { id: string }) => f.id)).toContain(body.id);

    const lifted = await lift(body.id);
    expect(lifted.status).toBe(200);
    const liftedBody = await json(lifted);
    expect(liftedBody).toMatchObject({ id: body.id, active: false, frozenAgents: 0 });
    expect(liftedBody.reactivatedAgentIds.sort()).toEqual([inside.agent.id, above.agent.id].sort());
    expect(await statusOf(inside.agent.id)).toBe("active");
    expect(await statusOf(alreadySuspended.agent.id)).toBe("suspended"); // someone else's suspension stays
    expect(await active(inside.token)).toBe(false); // tokens from before the freeze stay dead
    expect(await json(await lift(body.id))).toEqual(apiError("conflict", "This freeze was already lifted"));

    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "freeze.create", targetId: body.id } });
    expect(JSON.parse(audit.details)).toMatchObject({ scope: "subtree", path: `${tree.root}/inc`, agentCount: 2 });
    expect(await getDb().auditEvent.count({ where: { action: "freeze.lift", targetId: body.id } })).toBe(1);
  });

  it("a freeze of everything; lifting reactivates only the agents it still holds", async () => {
    const a = await agentOn("other");
    const handReactivated = await agentOn(null);
    const handSuspendedAgain = await agentOn(null);
    const killedMeanwhile = await agentOn(null);

    const res = await freeze({});
    expect(res.status).toBe(201);
    const f = await json(res);
    expect(f).toMatchObject({ nodeId: null, nodePath: null, active: true });
    for (const x of [a, handReactivated, handSuspendedAgain, killedMeanwhile]) {
      expect(f.agentIds).toContain(x.agent.id);
      expect(await active(x.token)).toBe(false);
    }
    // the token endpoint refuses suspended agents too
    const refused = await tokenRoute(formRequest("/oauth/token", `grant_type=client_credentials&scope=${tool}`, { authorization: basicAuth(a.agent.id, a.secret) }));
    expect(refused.status).toBe(401);

    await reactivateAgent(getDb(), handReactivated.agent.id, testActor);
    await reactivateAgent(getDb(), handSuspendedAgain.agent.id, testActor);
    await suspendAgent(getDb(), handSuspendedAgain.agent.id, testActor);
    await killAgent(getDb(), killedMeanwhile.agent.id, { confirm: killedMeanwhile.agent.name }, testActor);

    const lifted = await json(await lift(f.id));
    expect(lifted.reactivatedAgentIds).toContain(a.agent.id);
    expect(lifted.reactivatedAgentIds).not.toContain(handSuspendedAgain.agent.id);
    expect(await statusOf(a.agent.id)).toBe("active");
    expect(await statusOf(handReactivated.agent.id)).toBe("active");
    expect(await statusOf(handSuspendedAgain.agent.id)).toBe("suspended");
    expect(await statusOf(killedMeanwhile.agent.id)).toBe("killed");
  });

  it("lifting one of two overlapping freezes hands its agents to the other instead of reactivating them", async () => {
    const own = await makeTree(["inc", "inc/api", "other"]);
    const inside = await agentOn("inc/api", own);
    const beside = await agentOn("other", own);
    const sub = await createFreeze(getDb(), { node: own.nodes.inc!.id }, testActor);
    const all = await createFreeze(getDb(), {}, testActor);
    expect(sub.agentIds).toEqual([inside.agent.id]);
    expect(all.agentIds).toContain(beside.agent.id);
    expect(all.agentIds).not.toContain(inside.agent.id); // already suspended by the first

    const r = await liftFreeze(getDb(), sub.id, testActor);
    expect(r.reactivatedAgentIds).toEqual([]);
    expect(r.handedOver).toEqual({ [all.id]: [inside.agent.id] });
    expect(await getDb().agent.findUniqueOrThrow({ where: { id: inside.agent.id } })).toMatchObject({ status: "suspended", frozenById: all.id });

    const r2 = await liftFreeze(getDb(), all.id, testActor);
    expect(r2.reactivatedAgentIds).toEqual(expect.arrayContaining([inside.agent.id, beside.agent.id]));
    expect(await statusOf(inside.agent.id)).toBe("active");
  });

  it("errors: unknown node and freeze are 404s, only admins freeze or lift, everyone may look", async () => {
    expect(await json(await freeze({ node: `${tree.root}/nope` }))).toEqual(apiError("not_found", `Resource node not found: no "nope" under ${tree.root}`));
    expect((await lift("frz_nope")).status).toBe(404);
    const viewer = await consoleSession("viewer");
    const denied = await freezeRoute(apiRequest("/api/v1/freezes", { session: viewer.session, headers: viewer.headers, json: {} }));
    expect(denied.status).toBe(403);
    expect((await listRoute(apiRequest("/api/v1/freezes", { session: viewer.session }))).status).toBe(200);
    expect(await getDb().freeze.count({ where: { liftedAt: null } })).toBe(0);
  });
});
