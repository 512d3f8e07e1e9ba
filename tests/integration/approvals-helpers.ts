// A small world for the approval tests: a resource server, a tree, an irreversible tool, agents with real tokens from
// the token endpoint (one for the resource server's decisions, one for Deputy's own API), and approvers holding the
// Approver role. Requests go through the real route handlers.
import { expect } from "vitest";
import { GET as getOneRoute } from "@/app/api/v1/approvals/[approvalId]/route";
import { POST as cancelRoute } from "@/app/api/v1/approvals/[approvalId]/cancel/route";
import { POST as decideRoute } from "@/app/api/v1/approvals/[approvalId]/decide/route";
import { GET as listRoute, POST as openRoute } from "@/app/api/v1/approvals/route";
import { POST as decisionsRoute } from "@/app/api/v1/decisions/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { createAgent } from "@/lib/agents/create-agent";
import { getDb } from "@/lib/db/client";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { createTool } from "@/lib/tools/create-tool";
import { makeUser, TEST_PASSWORD, testActor, uniqueTag } from "../helpers/factories";
import { apiRequest, BASE_URL, json, routeParams, sessionCookie } from "../helpers/http";
import { basicAuth, formRequest } from "../helpers/oauth";
import { makeGrant, makeTree } from "./authz-helpers";

export type World = Awaited<ReturnType<typeof makeWorld>>;

export async function makeWorld() {
  const audience = `https://tools-${uniqueTag()}.example/`;
  const { secret: rsSecret, resourceServer } = await createResourceServer(getDb(), { name: "payments mcp", audience }, testActor);
  const tree = await makeTree(["prod", "prod/payments", "staging"]);
  return { audience, rsSecret, rsId: resourceServer.id, tree, path: (rel: string) => [tree.root, rel].filter(Boolean).join("/") };
}

export async function makeIrreversibleTool(opts: { approvalPolicy?: "any" | "not_subject" | "quorum"; approvalQuorum?: number; approvalTtlSeconds?: number } = {}) {
  return createTool(
    getDb(),
    {
      name: `t${uniqueTag()}.refund`,
      risk: "irreversible",
      paramsSchema: { type: "object", properties: { amount: { type: "number" }, target: { type: "string" } } },
      ...opts,
    },
    testActor,
  );
}

/** An agent holding Deployer on the world's root, with a token for the resource server and one for Deputy's API. */
export async function makeAgentWithTokens(world: World, scopes: string[]) {
  const { user: owner } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(getDb(), { name: `bot-${uniqueTag()}`, owner: owner.email, allowedScopes: scopes }, testActor);
  await makeGrant({ principal: { type: "agent", id: agent.id }, node: world.tree.nodes[""]!.id, role: "Deployer" });
  const token = async (resource?: string) => {
    const body = `grant_type=client_credentials&scope=${encodeURIComponent(scopes.join(" "))}${resource ? `&resource=${encodeURIComponent(resource)}` : ""}`;
    const res = await tokenRoute(formRequest("/oauth/token", body, { authorization: basicAuth(agent.id, clientSecret!) }));
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return { agent, owner, rsToken: await token(world.audience), apiToken: await token() };
}

/** A console user with the Approver role on `node` (the world's root by default) and a live session. */
export async function makeApprover(world: World, opts: { role?: "approver" | "admin"; node?: string } = {}) {
  const { user } = await makeUser({ role: opts.role ?? "approver" });
  await makeGrant({ principal: { type: "user", id: user.id }, node: opts.node ?? world.tree.nodes[""]!.id, role: "Approver" });
  return { user, actor: { type: "user" as const, id: user.id, label: user.email }, session: await sessionCookie({ uid: user.id, epoch: user.sessionEpoch }) };
}

export type Answer = { status: number; body: any };
const answer = async (res: Response): Promise<Answer> => ({ status: res.status, body: await json(res) });

export async function askDecision(world: World, token: string, tool: string, resource: string, params: Record<string, unknown> = {}) {
  const res = await decisionsRoute(
    new Request(`${BASE_URL}/api/v1/decisions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${world.rsSecret}` },
      body: JSON.stringify({ token, tool, resource, params }),
    }),
  );
  return answer(res);
}

export async function decideAs(
  approver: { session: string },
  id: string,
  body: { decision: string; comment?: string; password?: string },
): Promise<Answer> {
  const withPassword = body.decision === "approve" && !("password" in body) ? { ...body, password: TEST_PASSWORD } : body;
  const req = apiRequest(`/api/v1/approvals/${id}/decide`, { session: approver.session, json: withPassword, headers: { origin: BASE_URL } });
  return answer(await decideRoute(req, routeParams({ approvalId: id })));
}

/** GET one request with an agent token, a session cookie or an API key. */
export async function readApproval(id: string, as: { token?: string; session?: string; key?: string }, query = "", signal?: AbortSignal): Promise<Answer> {
  const req = new Request(`${BASE_URL}/api/v1/approvals/${id}${query}`, {
    headers: as.token ? { authorization: `Bearer ${as.token}` } : as.key ? { authorization: `Bearer ${as.key}` } : { cookie: `next-auth.session-token=${as.session}` },
    signal,
  });
  return answer(await getOneRoute(req, routeParams({ approvalId: id })));
}

export async function openAsAgent(token: string, body: Record<string, unknown>): Promise<Answer> {
  return answer(await openRoute(apiRequest("/api/v1/approvals", { authorization: `Bearer ${token}`, json: body })));
}

export async function cancelAs(id: string, as: { token?: string; key?: string }): Promise<Answer> {
  const req = apiRequest(`/api/v1/approvals/${id}/cancel`, { method: "POST", authorization: `Bearer ${as.token ?? as.key}` });
  return answer(await cancelRoute(req, routeParams({ approvalId: id })));
}

export async function listAs(as: { session?: string; key?: string }, query = ""): Promise<Answer> {
  return answer(await listRoute(apiRequest(`/api/v1/approvals${query}`, as.key ? { key: as.key } : { session: as.session })));
}

/** The audit events about one approval, oldest first. */
export async function approvalEvents(id: string) {
  return getDb().auditEvent.findMany({ where: { targetId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}
