// The dashboard's overview over the live database: decisions per hour from real decisions, agents needing
// attention, agents by status. The database is shared with other test files, so counts are compared before/after.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { createAgent } from "@/lib/agents/create-agent";
import { killAgent } from "@/lib/agents/kill-agent";
import { alertAnalyzer } from "@/lib/alerts/observe-decision";
import { makeDecision } from "@/lib/authz/make-decision";
import { agentsNeedingAttention, decisionsPerHour, getOverview } from "@/lib/dashboard/get-overview";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { authenticateResourceServer, type AuthenticatedResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { basicAuth, formRequest } from "../helpers/oauth";
import { makeGrant, makeTool, makeTree } from "./authz-helpers";

const db = () => getDb();
const DAY = 86_400_000;
let owner: string;

beforeAll(async () => {
  owner = (await makeUser({ role: "admin" })).user.email;
});

const newAgent = async () => (await createAgent(db(), { name: `dash-${uniqueTag()}`, owner }, testActor)).agent;

describe("decisions per hour", () => {
  it("counts allow, deny and approval_required of the current hour, and has 24 hourly buckets", async () => {
    const audience = `https://dash-${uniqueTag()}.example/`;
    const rs = await createResourceServer(db(), { name: "dash", audience }, testActor);
    const server: AuthenticatedResourceServer = await authenticateResourceServer(db(), `Bearer ${rs.secret}`);
    const tree = await makeTree();
    const read = (await makeTool()).name;
    const irreversible = (await makeTool({ risk: "irreversible" })).name;
    const { agent, clientSecret } = await createAgent(db(), { name: `dash-${uniqueTag()}`, owner, allowedScopes: [read, irreversible] }, testActor);
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: read });
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool: irreversible });
    const res = await tokenRoute(
      formRequest("/oauth/token", `grant_type=client_credentials&scope=${encodeURIComponent(`${read} ${irreversible}`)}&resource=${encodeURIComponent(audience)}`, {
        authorization: basicAuth(agent.id, clientSecret!),
      }),
    );
    const token = ((await res.json()) as { access_token: string }).access_token;

    const now = new Date();
    const before = await decisionsPerHour(db(), now);
    expect(before).toHaveLength(24);
    expect(Date.parse(before[23]!.hour)).toBe(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
    const ask = (tool: string) => makeDecision(db(), server, { token, tool, resource: tree.nodes[""]!.id }, now);
    expect((await ask(read)).decision).toBe("allow");
    expect((await ask(read)).decision).toBe("allow");
    expect((await ask(irreversible)).decision).toBe("approval_required");
    expect((await makeDecision(db(), server, { token: "garbage", tool: read, resource: tree.nodes[""]!.id }, now)).decision).toBe("deny");
    await alertAnalyzer().idle();

    const after = await decisionsPerHour(db(), now);
    const last = (h: typeof after) => h[23]!;
    expect({ allow: last(after).allow - last(before).allow, deny: last(after).deny - last(before).deny, approval: last(after).approval_required - last(before).approval_required }).toEqual({
      allow: 2,
      deny: 1,
      approval: 1,
    });
    // the earlier hours did not move
    expect(after.slice(0, 23)).toEqual(before.slice(0, 23));
  });
});

describe("agents needing attention and by status", () => {
  it("lists agents with open alerts, rotation due, and killed ones, each with its reasons", async () => {
    const alerted = await newAgent();
    const due = await newAgent();
    const killed = await newAgent();
    const overviewBefore = await getOverview(db());
    // many open alerts put this agent first among the alerted ones
    await db().alert.createMany({
      data: Array.from({ length: 50 }, () => ({ id: newId("alert"), agentId: alerted.id, rule: "new_tool", message: "seeded", details: "{}" })),
    });
    // the oldest active secret of any agent, so it is among the first rotation-due ones
    await db().clientSecret.updateMany({ where: { agentId: due.id }, data: { createdAt: new Date(Date.now() - 20_000 * DAY) } });
    await killAgent(db(), killed.id, { confirm: killed.name }, testActor);

    const list = await agentsNeedingAttention(db());
    const of = (id: string) => list.find((a) => a.id === id);
    expect(of(alerted.id)).toMatchObject({ name: alerted.name, reasons: ["open_alerts"], openAlerts: 50 });
    expect(of(due.id)).toMatchObject({ name: due.name, reasons: ["rotation_due"], status: "active" });
    expect(of(killed.id)).toMatchObject({ reasons: ["killed"], status: "killed" });

    const overview = await getOverview(db());
    expect(overview.agentsByStatus.killed).toBe(overviewBefore.agentsByStatus.killed + 1);
    expect(overview.agentsByStatus.active).toBe(overviewBefore.agentsByStatus.active - 1);
    expect(overview.openAlerts).toBe(overviewBefore.openAlerts + 50);
    await db().alert.updateMany({ where: { agentId: alerted.id }, data: { acknowledgedAt: new Date() } });
    expect((await agentsNeedingAttention(db())).some((a) => a.id === alerted.id)).toBe(false);
  });
});
