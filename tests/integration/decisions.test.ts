// POST /api/v1/decisions through the real route: a resource server asks whether an agent's token may call a tool on
// a resource. The tree, tools and grants are made through the use cases; tokens through the real token endpoint.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as filterRoute } from "@/app/api/v1/decisions/filter/route";
import { POST as decisionsRoute } from "@/app/api/v1/decisions/route";
import { simulateDecision } from "@/lib/authz/simulate-decision";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { createAgent } from "@/lib/agents/create-agent";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { getDb } from "@/lib/db/client";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { basicAuth, formRequest } from "../helpers/oauth";
import { killAgent } from "@/lib/agents/kill-agent";
import { paramsDigest } from "@/lib/authz/make-decision";
import { makeGrant, makeTool, makeTree } from "./authz-helpers";

let audience: string;
let rsSecret: string;
let tree: Awaited<ReturnType<typeof makeTree>>;
let pushTool: string;
let deployTool: string;

beforeAll(async () => {
  audience = `https://mcp-${uniqueTag()}.example/`;
  ({ secret: rsSecret } = await createResourceServer(getDb(), { name: "github mcp", audience }, testActor));
  tree = await makeTree(["platform", "platform/api", "platform/api/repository:repo", "platform/web", "prod"]);
  pushTool = (await makeTool({ risk: "write", paramsSchema: { type: "object", properties: { branch: { type: "string" } } } })).name;
  deployTool = (await makeTool({ risk: "irreversible" })).name;
});

async function agentWithToken(scopes: string[]) {
  const { user } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(getDb(), { name: `a-${uniqueTag()}`, owner: user.email, allowedScopes: scopes }, testActor);
  const res = await tokenRoute(
    formRequest("/oauth/token", `grant_type=client_credentials&scope=${encodeURIComponent(scopes.join(" "))}&resource=${encodeURIComponent(audience)}`, {
      authorization: basicAuth(agent.id, clientSecret!),
    }),
  );
  expect(res.status).toBe(200);
  return { agent, token: ((await res.json()) as { access_token: string }).access_token };
}

async function ask(body: Record<string, unknown>, authorization = `Bearer ${rsSecret}`) {
  const res = await decisionsRoute(
    new Request("http://localhost:3000/api/v1/decisions", { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify(body) }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { decision: string; reasons: { code: string; message: string }[]; decision_id: string } };
}

async function filter(body: Record<string, unknown>, authorization = `Bearer ${rsSecret}`) {
  const res = await filterRoute(
    new Request("http://localhost:3000/api/v1/decisions/filter", { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify(body) }),
  );
  return { status: res.status, body: (await res.json()) as { allowed: string[]; denied: number; decision_id: string; reason?: string } };
}

const path = (rel: string) => [tree.root, rel].filter(Boolean).join("/");

describe("POST /api/v1/decisions", () => {
  it("allows on the granted node and below, denies on the sibling and the parent, each with its reason", async () => {
    const { agent, token } = await agentWithToken([pushTool]);
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes["platform/api"]!.id, tool: pushTool });

    const below = await ask({ token, tool: pushTool, resource: path("platform/api/repository:repo"), params: { branch: "main" } });
    expect(below.status).toBe(200);
    expect(below.body.decision).toBe("allow");
    expect(below.body.decision_id).toMatch(/^evt_/);
    expect(below.body.reasons[0]!.message).toContain(`may use ${pushTool}`);

    const sibling = await ask({ token, tool: pushTool, resource: path("platform/web") });
    expect(sibling.body.decision).toBe("deny");
    expect(sibling.body.reasons.map((r) => r.code)).toEqual(["no_grant"]);
    expect(sibling.body.reasons[0]!.message).toContain(`has no grant for ${pushTool} on ${path("platform/web")}`);

    const parent = await ask({ token, tool: pushTool, resource: tree.nodes.platform!.id });
    expect(parent.body.decision).toBe("deny");

    const event = await getDb().auditEvent.findUniqueOrThrow({ where: { id: below.body.decision_id } });
    expect(event).toMatchObject({ action: "decision.make", result: "allow", actorId: agent.id, targetId: tree.nodes["platform/api/repo"]!.id });
    expect(JSON.parse(event.details)).toMatchObject({ tool: pushTool, principals: [`agent:${agent.id}`], paramsDigest: paramsDigest({ branch: "main" }) });
    expect(event.details).not.toContain(token);
  });

  it("irreversible tools answer approval_required", async () => {
    const { agent, token } = await agentWithToken([deployTool]);
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, role: "Deployer" });
    const r = await ask({ token, tool: deployTool, resource: path("prod") });
    expect(r.body.decision).toBe("approval_required");
  });

  it("token checks come first: not in scope, not for this resource server, inactive", async () => {
    const { agent, token } = await agentWithToken([pushTool]);
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, role: "Editor" });
    expect((await ask({ token, tool: deployTool, resource: path("prod") })).body.reasons[0]!.code).toBe("not_in_scope");

    const other = await createResourceServer(getDb(), { name: "other", audience: `https://other-${uniqueTag()}.example/` }, testActor);
    const foreign = await ask({ token, tool: pushTool, resource: path("prod") }, `Bearer ${other.secret}`);
    expect(foreign.body).toMatchObject({ decision: "deny", reasons: [{ code: "token_audience" }] });

    await suspendAgent(getDb(), agent.id, testActor);
    expect((await ask({ token, tool: pushTool, resource: path("prod") })).body.reasons[0]!.code).toBe("token_inactive");
    expect((await ask({ token: "garbage", tool: pushTool, resource: path("prod") })).body.decision).toBe("deny");
  });

  it("a revoked grant stops allowing at once (the snapshot follows every change)", async () => {
    const { agent, token } = await agentWithToken([pushTool]);
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes.platform!.id, tool: pushTool });
    expect((await ask({ token, tool: pushTool, resource: path("platform/web") })).body.decision).toBe("allow");
    await revokeGrant(getDb(), grant.id, testActor);
    expect((await ask({ token, tool: pushTool, resource: path("platform/web") })).body.decision).toBe("deny");
  });

  it("audience: every user who will see the output must be allowed to read the resource", async () => {
    const { agent, token } = await agentWithToken([pushTool]);
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: pushTool });
    const insider = (await makeUser()).user;
    const reader = (await makeUser()).user;
    const outsider = (await makeUser()).user;
    await makeGrant({ principal: { type: "user", id: insider.id }, node: tree.nodes.prod!.id, tool: pushTool });
    // Viewer holds every read tool and nothing else: enough to see what a push did
    await makeTool();
    await makeGrant({ principal: { type: "user", id: reader.id }, node: tree.nodes[""]!.id, role: "Viewer" });
    const both = await ask({ token, tool: pushTool, resource: path("prod"), audience: [insider.email, reader.email] });
    expect(both.body.decision).toBe("allow");
    expect(both.body.reasons.at(-1)).toMatchObject({ code: "granted", role: "audience", message: `user ${reader.email} may read ${path("prod")} via role Viewer granted on ${tree.root}` });
    const r = await ask({ token, tool: pushTool, resource: path("prod"), audience: [insider.email, outsider.id] });
    expect(r.body.decision).toBe("deny");
    expect(r.body.reasons[0]!.message).toBe(`user ${outsider.email} has no grant for ${pushTool} on ${path("prod")}, nor any to read it`);
    expect((await ask({ token, tool: pushTool, resource: path("prod"), audience: ["nobody@nowhere.test"] })).body.reasons[0]!.code).toBe("unknown_audience_user");
  });

  it("bad requests and credentials are errors in the API's envelope, never a 500", async () => {
    expect(await ask({ token: "x", tool: pushTool, resource: "x" }, "Bearer nope")).toEqual({
      status: 401,
      body: { error: { code: "unauthorized", message: "Invalid resource server credentials" } },
    });
    const missing = await ask({ tool: pushTool, resource: path("prod") });
    expect(missing.status).toBe(400);
    expect((missing.body as unknown as { error: { code: string } }).error.code).toBe("validation_failed");
    const notJson = await decisionsRoute(
      new Request("http://localhost:3000/api/v1/decisions", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${rsSecret}` }, body: "{nope" }),
    );
    expect(notJson.status).toBe(400);
    // text the audit event would repeat may not look like a secret: refused up front, not a 500 at the audit trail
    const secretShaped = await ask({ token: "x", tool: pushTool, resource: `dps_${"a".repeat(43)}` });
    expect(secretShaped.status).toBe(400);
    expect((secretShaped.body as unknown as { error: { code: string } }).error.code).toBe("validation_failed");
    const unknownNode = await ask({ token: "x", tool: pushTool, resource: "no/such/path" });
    expect(unknownNode.status).toBe(200);
  });
});

describe("POST /api/v1/decisions/filter and simulation", () => {
  it("filter returns the allowed subset of many resources", async () => {
    const { agent, token } = await agentWithToken([pushTool]);
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes["platform/api"]!.id, tool: pushTool });
    const resources = [path("platform/api"), path("platform/api/repo"), path("platform/web"), path("prod"), "no/such/node"];
    const res = await filterRoute(
      new Request("http://localhost:3000/api/v1/decisions/filter", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${rsSecret}` },
        body: JSON.stringify({ token, tool: pushTool, resources, params: { branch: "main" }, task: { id: "index-42" } }),
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { allowed: string[]; denied: number; decision_id: string };
    expect(body).toMatchObject({ allowed: [path("platform/api"), path("platform/api/repo")], denied: 3 });

    // one audit event: what was allowed, and why each other was not
    const event = await getDb().auditEvent.findUniqueOrThrow({ where: { id: body.decision_id } });
    expect(event).toMatchObject({ action: "decision.filter", result: "allow", actorId: agent.id });
    expect(JSON.parse(event.details)).toEqual({
      allowed: [tree.nodes["platform/api"]!.id, tree.nodes["platform/api/repo"]!.id],
      asked: 5,
      denied: [
        { node: tree.nodes["platform/web"]!.id, code: "no_grant" },
        { node: tree.nodes.prod!.id, code: "no_grant" },
        { resource: "no/such/node", code: "unknown_node" },
      ],
      jti: expect.any(String),
      paramsDigest: paramsDigest({ branch: "main" }),
      principals: [`agent:${agent.id}`],
      resourceServer: expect.stringMatching(/^rsv_/),
      task: { id: "index-42" },
      tool: pushTool,
    });
  });

  it("filter checks the audience like one decision, refuses a call it cannot answer whole, and caps the list", async () => {
    const { agent, token } = await agentWithToken([pushTool]);
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes.platform!.id, tool: pushTool });
    await makeTool(); // a read tool, so that Viewer reads
    const reader = (await makeUser()).user;
    const outsider = (await makeUser()).user;
    await makeGrant({ principal: { type: "user", id: reader.id }, node: tree.nodes["platform/api"]!.id, role: "Viewer" });
    const resources = [path("platform/api"), path("platform/api/repo"), path("platform/web")];

    expect((await filter({ token, tool: pushTool, resources, audience: [reader.email] })).body).toMatchObject({ allowed: resources.slice(0, 2), denied: 1 });
    const hidden = await filter({ token, tool: pushTool, resources, audience: [reader.id, outsider.email] });
    expect(hidden.body).toMatchObject({ allowed: [], denied: 3 });
    const event = await getDb().auditEvent.findUniqueOrThrow({ where: { id: hidden.body.decision_id } });
    expect(JSON.parse(event.details)).toMatchObject({ audience: [reader.id, outsider.email], allowed: [], denied: [{ code: "no_grant" }, { code: "no_grant" }, { code: "no_grant" }] });

    const unknown = await filter({ token, tool: pushTool, resources, audience: ["nobody@nowhere.test"] });
    expect(unknown.body).toMatchObject({ allowed: [], denied: 3, reason: "Unknown audience users (their access cannot be checked): nobody@nowhere.test" });
    const other = await createResourceServer(getDb(), { name: "other", audience: `https://other-${uniqueTag()}.example/` }, testActor);
    const foreign = await filter({ token, tool: pushTool, resources }, `Bearer ${other.secret}`);
    expect(foreign.body).toMatchObject({ allowed: [], denied: 3, reason: `The token was not issued for ${other.resourceServer.audience}` });
    const refusedEvent = await getDb().auditEvent.findUniqueOrThrow({ where: { id: foreign.body.decision_id } });
    expect(JSON.parse(refusedEvent.details)).toMatchObject({ refused: "token_audience", asked: 3, allowed: [], denied: [] });

    const tooMany = await filter({ token, tool: pushTool, resources: Array.from({ length: 1_001 }, (_, i) => `${path("platform")}/n${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { code: "validation_failed" } });

    // the kill switch is named, as in one decision
    await killAgent(getDb(), agent.id, { confirm: agent.name }, testActor);
    const killed = await filter({ token, tool: pushTool, resources });
    expect(killed.body).toMatchObject({ allowed: [], denied: 3, reason: `The token is refused: it holds agent ${agent.name}, which was cut off with the kill switch` });
    const killedEvent = await getDb().auditEvent.findUniqueOrThrow({ where: { id: killed.body.decision_id } });
    expect(JSON.parse(killedEvent.details)).toMatchObject({ refused: "agent_killed", principals: [] });
  });

  it("simulation answers for an agent acting for a user, at a chosen time, without a token", async () => {
    const { agent } = await agentWithToken([pushTool]);
    const dev = (await makeUser()).user;
    const now = new Date();
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: pushTool });
    await makeGrant({ principal: { type: "user", id: dev.id }, node: tree.nodes.platform!.id, tool: pushTool, expiresAt: new Date(now.getTime() + 3_600_000).toISOString() });
    const at = (resource: string, when?: Date) =>
      simulateDecision(getDb(), { agentId: agent.id, user: dev.email, tool: pushTool, resource: path(resource), ...(when ? { at: when.toISOString() } : {}) });
    expect((await at("platform/web")).decision).toBe("allow");
    const prod = await at("prod");
    expect(prod.decision).toBe("deny");
    expect(prod.reasons.find((r) => r.code === "no_grant")?.message).toContain(dev.email);
    const later = await at("platform/web", new Date(now.getTime() + 2 * 3_600_000));
    expect(later.reasons.map((r) => r.code)).toContain("expired");
  });
});
