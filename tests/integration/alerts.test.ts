// Anomaly alerts on the stream of decisions: real tokens from the token endpoint, real decisions through
// makeDecision (with controlled time), the analyzer running after each answer, and the alerts API.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as acknowledgeRoute } from "@/app/api/v1/alerts/[alertId]/acknowledge/route";
import { GET as listRoute } from "@/app/api/v1/alerts/route";
import { GET as getSettingsRoute, PUT as putSettingsRoute } from "@/app/api/v1/settings/alerts/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { AlertAnalyzer, alertAnalyzer, BASELINE_MS } from "@/lib/alerts/observe-decision";
import { DEFAULT_DENIAL_BURST, DENIAL_BURST_KEY } from "@/lib/alerts/settings";
import { createAgent } from "@/lib/agents/create-agent";
import { makeDecision } from "@/lib/authz/make-decision";
import { getDb } from "@/lib/db/client";
import { authenticateResourceServer, type AuthenticatedResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { basicAuth, formRequest } from "../helpers/oauth";
import { adminKey, consoleSession, makeGrant, makeTool, makeTree } from "./authz-helpers";

const db = () => getDb();
let audience: string;
let server: AuthenticatedResourceServer;
let tree: Awaited<ReturnType<typeof makeTree>>;
let readA: string;
let readB: string;
let readC: string;
let key: string;
let webhookId: string;

beforeAll(async () => {
  audience = `https://alerts-${uniqueTag()}.example/`;
  const rs = await createResourceServer(db(), { name: "alerts mcp", audience }, testActor);
  server = await authenticateResourceServer(db(), `Bearer ${rs.secret}`);
  tree = await makeTree(["repo"]);
  [readA, readB, readC] = await Promise.all([makeTool(), makeTool(), makeTool()]).then((ts) => ts.map((t) => t.name));
  key = await adminKey();
  // a public TEST-NET-3 address: passes the URL policy, never contacted (no sender runs in these tests)
  webhookId = (await createWebhook(db(), { name: `alerts ${uniqueTag()}`, url: "https://203.0.113.10/alerts", events: ["alert.raised"] }, testActor)).webhook.id;
});

afterAll(async () => {
  await db().webhook.deleteMany({ where: { id: webhookId } });
  await db().setting.deleteMany({ where: { key: DENIAL_BURST_KEY } });
  alertAnalyzer().forgetSettings();
});

beforeEach(async () => {
  await db().setting.deleteMany({ where: { key: DENIAL_BURST_KEY } });
  alertAnalyzer().forgetSettings();
});

/** An agent with a token for the resource server, holding every test tool on the tree's root. */
async function agentWithToken(opts: { grant?: boolean } = {}) {
  const { user } = await makeUser({ role: "admin" });
  const scopes = [readA, readB, readC];
  const { agent, clientSecret } = await createAgent(db(), { name: `watched-${uniqueTag()}`, owner: user.email, allowedScopes: scopes }, testActor);
  const res = await tokenRoute(
    formRequest("/oauth/token", `grant_type=client_credentials&scope=${encodeURIComponent(scopes.join(" "))}&resource=${encodeURIComponent(audience)}`, {
      authorization: basicAuth(agent.id, clientSecret!),
    }),
  );
  expect(res.status).toBe(200);
  const token = ((await res.json()) as { access_token: string }).access_token;
  if (opts.grant !== false) for (const tool of scopes) await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool });
  return { agent, token };
}

/** A real decision at `at`, then waits for the analyzer to finish with it. */
async function ask(token: string, tool: string, at: Date, extra: Record<string, unknown> = {}) {
  const r = await makeDecision(db(), server, { token, tool, resource: tree.nodes.repo!.id, ...extra }, at);
  await alertAnalyzer().idle();
  return r;
}

const alertsOf = (agentId: string, rule?: string) => db().alert.findMany({ where: { agentId, ...(rule ? { rule } : {}) }, orderBy: { createdAt: "asc" } });
const seconds = (t0: Date, s: number) => new Date(t0.getTime() + s * 1000);

/** An agent past its baseline minute: it used readA long enough ago that new tools alert on their own. */
async function seasonedAgent(opts: { grant?: boolean } = {}) {
  const a = await agentWithToken(opts);
  const t0 = new Date();
  await ask(a.token, readA, t0);
  return { ...a, t0, later: seconds(t0, BASELINE_MS / 1000 + 5) };
}

describe("rule new_tool", () => {
  it("alerts on an agent's very first call, learns its first minute quietly, then alerts each new tool once", async () => {
    const { agent, token } = await agentWithToken();
    const t0 = new Date();
    const first = await ask(token, readA, t0);
    let alerts = await alertsOf(agent.id, "new_tool");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ eventId: first.decision_id, message: `${agent.name} made its first tool call: ${readA} (decision allow)` });

    await ask(token, readB, seconds(t0, 10)); // within the baseline minute: learned, no alert
    await ask(token, readA, seconds(t0, 11)); // known
    expect(await alertsOf(agent.id, "new_tool")).toHaveLength(1);
    expect(await db().agentToolUse.count({ where: { agentId: agent.id } })).toBe(2);

    const fresh = await ask(token, readC, seconds(t0, 90));
    await ask(token, readC, seconds(t0, 91));
    alerts = await alertsOf(agent.id, "new_tool");
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ eventId: fresh.decision_id, message: `${agent.name} called ${readC} for the first time (decision allow)` });
  });

  it("agrees across instances: a tool another instance already recorded raises nothing here", async () => {
    const { agent, token, later } = await seasonedAgent();
    // another instance recorded readB's first use (this process's cache has not seen it)
    await db().agentToolUse.create({ data: { agentId: agent.id, toolName: readB, firstUsedAt: later } });
    await ask(token, readB, seconds(later, 1));
    expect((await alertsOf(agent.id, "new_tool")).map((a) => JSON.parse(a.details).tool)).toEqual([readA]);
  });
});

describe("rule outside_task", () => {
  it("alerts when the task declares its tools and this one is not among them, once per task and tool", async () => {
    const { agent, token, later } = await seasonedAgent();
    await ask(token, readA, later, { task: { id: "ticket-1", tools: [readA] } });
    expect(await alertsOf(agent.id, "outside_task")).toHaveLength(0);
    // no declared tools: nothing to compare with
    await ask(token, readA, later, { task: { id: "ticket-1" } });
    const outside = await ask(token, readA, seconds(later, 1), { task: { id: "ticket-2", tools: [readB, readC] } });
    await ask(token, readA, seconds(later, 2), { task: { id: "ticket-2", tools: [readB, readC] } });
    const alerts = await alertsOf(agent.id, "outside_task");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      eventId: outside.decision_id,
      message: `${agent.name} asked for ${readA}, which its task ticket-2 does not declare (${readB}, ${readC})`,
    });
    expect(JSON.parse(alerts[0]!.details)).toEqual({ decision: "allow", resource: tree.nodes.repo!.id, taskId: "ticket-2", taskTools: [readB, readC], tool: readA });
  });

  it("is recorded with an alert.raise audit event and queued for webhooks in the same transaction", async () => {
    const { agent, token, later } = await seasonedAgent();
    await ask(token, readA, later, { task: { id: "t-audit", tools: [] } });
    const [alert] = await alertsOf(agent.id, "outside_task");
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "alert.raise", targetId: alert!.id } });
    expect(event).toMatchObject({ actorType: "system", targetType: "alert", result: "success" });
    expect(JSON.parse(event.details)).toMatchObject({ agentId: agent.id, rule: "outside_task", decisionId: alert!.eventId });
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId, event: "alert.raised", payload: { contains: alert!.id } } });
    expect(JSON.parse(delivery.payload).data).toMatchObject({ alert_id: alert!.id, agent_id: agent.id, rule: "outside_task", decision_id: alert!.eventId });
  });
});

describe("rule outside_window", () => {
  it("alerts when a grant exists but not now (not yet valid), linked to the denial", async () => {
    const { agent, token, later } = await seasonedAgent({ grant: false });
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: readB, notBefore: new Date(Date.now() + 86_400_000).toISOString() });
    const denied = await ask(token, readB, later);
    expect(denied.decision).toBe("deny");
    expect(denied.reasons.map((r) => r.code)).toEqual(["not_yet_valid"]);
    await ask(token, readB, seconds(later, 1));
    const alerts = await alertsOf(agent.id, "outside_window");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ eventId: denied.decision_id });
    expect(alerts[0]!.message).toContain(`called ${readB} on ${tree.nodes.repo!.id} before its grant is valid`);
    // a plain denial (no grant at all) is no window anomaly
    await ask(token, readC, seconds(later, 2));
    expect(await alertsOf(agent.id, "outside_window")).toHaveLength(1);
  });
});

describe("rule denial_burst", () => {
  it("raises one alert when the agent reaches the default 10 denials in 5 minutes, not one per denial", async () => {
    expect(DEFAULT_DENIAL_BURST).toEqual({ count: 10, minutes: 5 });
    const { agent, token, later } = await seasonedAgent({ grant: false });
    // its first call (seasonedAgent) was the first denial; eight more make nine
    for (let i = 0; i < 8; i++) await ask(token, readA, seconds(later, i));
    expect(await alertsOf(agent.id, "denial_burst")).toHaveLength(0);
    const tenth = await ask(token, readA, seconds(later, 9));
    for (let i = 10; i < 15; i++) await ask(token, readA, seconds(later, i));
    const alerts = await alertsOf(agent.id, "denial_burst");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ eventId: tenth.decision_id, message: `${agent.name} was denied 10 times in 5 minutes (threshold 10)` });
  });

  it("counts denials answered before a restart: a new process reads them from the audit trail once", async () => {
    const { agent, token, later } = await seasonedAgent({ grant: false }); // one denial
    for (let i = 0; i < 5; i++) await ask(token, readA, seconds(later, i)); // six
    const g = globalThis as { __deputyAlertAnalyzer?: AlertAnalyzer };
    const before = g.__deputyAlertAnalyzer;
    g.__deputyAlertAnalyzer = new AlertAnalyzer(); // what a restarted process starts with: nothing in memory
    try {
      for (let i = 5; i < 8; i++) await ask(token, readA, seconds(later, i)); // nine
      expect(await alertsOf(agent.id, "denial_burst")).toHaveLength(0);
      const tenth = await ask(token, readA, seconds(later, 8));
      const alerts = await alertsOf(agent.id, "denial_burst");
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ eventId: tenth.decision_id, message: `${agent.name} was denied 10 times in 5 minutes (threshold 10)` });
    } finally {
      g.__deputyAlertAnalyzer = before;
    }
  });

  it("follows the threshold an admin sets, and raises again in the next window", async () => {
    const put = await putSettingsRoute(apiRequest("/api/v1/settings/alerts", { method: "PUT", key, json: { denialBurst: { count: 3, minutes: 1 } } }));
    expect(put.status).toBe(200);
    expect(await json(put)).toEqual({ denialBurst: { count: 3, minutes: 1 } });
    expect(await json(await getSettingsRoute(apiRequest("/api/v1/settings/alerts", { key })))).toEqual({ denialBurst: { count: 3, minutes: 1 } });
    expect(await db().auditEvent.count({ where: { action: "setting.update", targetId: DENIAL_BURST_KEY } })).toBeGreaterThan(0);

    const { agent, token, later } = await seasonedAgent({ grant: false });
    await ask(token, readA, later);
    await ask(token, readA, seconds(later, 1));
    expect(await alertsOf(agent.id, "denial_burst")).toHaveLength(0);
    await ask(token, readA, seconds(later, 2));
    await ask(token, readA, seconds(later, 3));
    expect(await alertsOf(agent.id, "denial_burst")).toHaveLength(1);
    // a minute later the window has moved: three fresh denials are a new burst
    for (const s of [70, 71, 72]) await ask(token, readA, seconds(later, s));
    expect(await alertsOf(agent.id, "denial_burst")).toHaveLength(2);
  });

  it("refuses bad settings with 400, and non-admins with 403", async () => {
    for (const body of [{ denialBurst: { count: 1, minutes: 5 } }, { denialBurst: { count: 10 } }, { denialBurst: { count: 10, minutes: 5, extra: 1 } }, {}]) {
      const res = await putSettingsRoute(apiRequest("/api/v1/settings/alerts", { method: "PUT", key, json: body }));
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe("validation_failed");
    }
    const auditor = await consoleSession("auditor");
    const res = await getSettingsRoute(apiRequest("/api/v1/settings/alerts", { session: auditor.session }));
    expect(res.status).toBe(403);
  });
});

describe("the alerts API", () => {
  it("lists with filters and keyset paging, links each alert to its decision, and acknowledges once (then 409)", async () => {
    const { agent, token, later } = await seasonedAgent();
    for (let i = 0; i < 3; i++) await ask(token, readA, seconds(later, i), { task: { id: `job-${i}`, tools: [readB] } });
    const list = async (qs: string, session?: string) => listRoute(apiRequest(`/api/v1/alerts?${qs}`, session ? { session } : { key }));

    const all = await json(await list(`agent=${agent.id}`));
    expect(all.alerts.map((a: { rule: string }) => a.rule)).toEqual(["outside_task", "outside_task", "outside_task", "new_tool"]);
    expect(all.openCount).toBe(4);
    expect(all.alerts[0]).toMatchObject({ agent: { id: agent.id, name: agent.name }, acknowledgedAt: null, acknowledgedBy: null });
    const decision = await db().auditEvent.findUniqueOrThrow({ where: { id: all.alerts[0].eventId } });
    expect(decision).toMatchObject({ action: "decision.make", actorId: agent.id });
    expect(JSON.parse(decision.details).task).toEqual({ id: "job-2", tools: [readB] });

    const page1 = await json(await list(`agent=${agent.id}&rule=outside_task&limit=2`));
    expect(page1.alerts).toHaveLength(2);
    const page2 = await json(await list(`agent=${agent.id}&rule=outside_task&limit=2&cursor=${page1.nextCursor}`));
    expect(page2.alerts).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect(new Set([...page1.alerts, ...page2.alerts].map((a: { id: string }) => a.id)).size).toBe(3);

    const target = all.alerts[0].id;
    const admin = await consoleSession("admin");
    const ack = await acknowledgeRoute(apiRequest(`/api/v1/alerts/${target}/acknowledge`, { method: "POST", session: admin.session, headers: admin.headers }), routeParams({ alertId: target }));
    expect(ack.status).toBe(200);
    expect(await json(ack)).toMatchObject({ id: target, acknowledgedBy: { id: admin.user.id, label: admin.user.email } });
    const again = await acknowledgeRoute(apiRequest(`/api/v1/alerts/${target}/acknowledge`, { method: "POST", key }), routeParams({ alertId: target }));
    expect(again.status).toBe(409);
    expect((await json(again)).error.message).toContain(`already acknowledged by ${admin.user.email}`);
    expect(await db().auditEvent.count({ where: { action: "alert.acknowledge", targetId: target } })).toBe(1);

    const open = await json(await list(`agent=${agent.id}&acknowledged=false`));
    expect(open.alerts.map((a: { id: string }) => a.id)).not.toContain(target);
    expect(open.openCount).toBe(3);
    const acked = await json(await list(`agent=${agent.id}&acknowledged=true`));
    expect(acked.alerts.map((a: { id: string }) => a.id)).toEqual([target]);

    // a viewer may read alerts, not acknowledge them
    const viewer = await consoleSession("viewer");
    expect((await list(`agent=${agent.id}`, viewer.session)).status).toBe(200);
    const other = open.alerts[0].id;
    const refused = await acknowledgeRoute(apiRequest(`/api/v1/alerts/${other}/acknowledge`, { method: "POST", session: viewer.session, headers: viewer.headers }), routeParams({ alertId: other }));
    expect(refused.status).toBe(403);
  });

  it("answers bad input with 400 and an unknown alert with 404", async () => {
    for (const qs of ["rule=nope", "acknowledged=yes", "limit=0", "limit=500", "cursor=bm9wZQ", "color=red"]) {
      const res = await listRoute(apiRequest(`/api/v1/alerts?${qs}`, { key }));
      expect(res.status, qs).toBe(400);
    }
    const res = await acknowledgeRoute(apiRequest("/api/v1/alerts/alr_nope/acknowledge", { method: "POST", key }), routeParams({ alertId: "alr_nope" }));
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual(apiError("not_found", "Alert not found"));
  });
});

describe("the analyzer off the response path", () => {
  it("logs a failing rule and carries on with the next decision; nothing reaches the caller", async () => {
    const { agent } = await agentWithToken({ grant: false });
    const analyzer = new AlertAnalyzer();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const at = new Date();
      const o = { agentId: agent.id, agentLabel: agent.name, nodeId: null, resource: "x", decision: "allow" as const, reasonCodes: [], task: null, at };
      // a tool name shaped like a secret: the audit trail refuses the alert.raise event, so raising it throws
      analyzer.observe({ ...o, decisionId: "evt_bad", tool: `dps_${"a".repeat(43)}` });
      analyzer.observe({ ...o, decisionId: "evt_good", tool: readA });
      await analyzer.idle();
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("anomaly detection (decision evt_bad)"), expect.any(Error));
      expect((await alertsOf(agent.id, "new_tool")).map((a) => a.eventId)).toEqual(["evt_good"]);
    } finally {
      logged.mockRestore();
    }
  });
});
