// The posture checklist over the live database. The database is shared with every other test file, so each test
// seeds the row that decides its item (the oldest secret, the longest lifetime, the newest drill) and looks for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as postureRoute } from "@/app/api/v1/posture/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { exportJWK, generateKeyPair } from "jose";
import { addPublicKey } from "@/lib/agents/add-public-key";
import { createAgent } from "@/lib/agents/create-agent";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { getPosture, loadPostureFacts } from "@/lib/posture/load-posture-facts";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiRequest, json } from "../helpers/http";
import { basicAuth, formRequest } from "../helpers/oauth";
import { consoleSession, makeTool } from "./authz-helpers";

const db = () => getDb();
const DAY = 86_400_000;
const made: string[] = [];
let owner: string;

beforeAll(async () => {
  owner = (await makeUser({ role: "admin" })).user.email;
});

// killed agents are out of every item: leave nothing behind that would fail another run's posture
afterAll(async () => {
  await db().agent.updateMany({ where: { id: { in: made } }, data: { status: "killed", killedAt: new Date() } });
});

async function agent(opts: { withSecret?: boolean } = {}) {
  const { agent } = await createAgent(db(), { name: `posture-${uniqueTag()}`, owner, withSecret: opts.withSecret ?? true }, testActor);
  made.push(agent.id);
  return agent;
}

const itemOf = async (id: string) => (await getPosture(db())).items.find((i) => i.id === id)!;

describe("posture from live data", () => {
  it("own credentials: an active agent without any credential fails the item, and is counted", async () => {
    const before = await loadPostureFacts(db());
    const bare = await agent({ withSecret: false });
    const after = await loadPostureFacts(db());
    expect(after.agents.active).toBe(before.agents.active + 1);
    expect(after.agents.withoutCredentialsCount).toBe(before.agents.withoutCredentialsCount + 1);
    const item = await itemOf("own_credentials");
    expect(item.status).toBe("fail");
    expect(item.evidence.join(" ")).toMatch(/active agents have no credential of their own/);
    // suspended agents are not asked to hold credentials
    await db().agent.update({ where: { id: bare.id }, data: { status: "suspended" } });
    expect((await loadPostureFacts(db())).agents.withoutCredentialsCount).toBe(before.agents.withoutCredentialsCount);
  });

  it("own credentials: one public key registered on two agents is a shared credential, and fails the item", async () => {
    const [a, b] = [await agent(), await agent()];
    const jwk = await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey);
    await addPublicKey(db(), a.id, { jwk, alg: "ES256" }, testActor);
    await addPublicKey(db(), b.id, { jwk, alg: "ES256" }, testActor);
    const facts = await loadPostureFacts(db());
    const shared = facts.agents.sharedKeys.find((k) => k.agents.some((x) => x.id === a.id));
    expect(shared?.agents.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    const item = await itemOf("own_credentials");
    expect(item.status).toBe("fail");
    expect(item.evidence.join(" ")).toMatch(/is registered on 2 agents/);
    await db().agentPublicKey.updateMany({ where: { agentId: b.id }, data: { revokedAt: new Date() } });
    expect((await loadPostureFacts(db())).agents.sharedKeys.some((k) => k.agents.some((x) => x.id === a.id))).toBe(false);
  });

  it("token lifetime: a lifetime above an hour (a row edited past the API's limit) fails, naming the agent", async () => {
    const a = await agent();
    await db().agent.update({ where: { id: a.id }, data: { tokenTtlSeconds: 86_400 * 365 } });
    const item = await itemOf("token_lifetime");
    expect(item.status).toBe("fail");
    expect(item.evidence[0]).toContain(`${a.name} (31536000 s)`);
    expect(item.fix?.href).toBe(`/agents/${a.id}`);
    await db().agent.update({ where: { id: a.id }, data: { tokenTtlSeconds: 600 } });
  });

  it("secret rotation: a secret older than 90 days fails the item, naming its agent first (oldest)", async () => {
    const a = await agent();
    const ancient = new Date(Date.now() - 9_000 * DAY);
    await db().clientSecret.updateMany({ where: { agentId: a.id }, data: { createdAt: ancient } });
    const facts = await loadPostureFacts(db());
    expect(facts.secrets.oldest?.agent.id).toBe(a.id);
    const item = await itemOf("secret_rotation");
    expect(item.status).toBe("fail");
    expect(item.evidence[0]).toContain(`${a.name} (created 9000 days ago)`);
    // rotated (replaced) secrets no longer count
    await db().clientSecret.updateMany({ where: { agentId: a.id }, data: { rotatedAt: new Date() } });
    expect((await loadPostureFacts(db())).secrets.staleCount).toBe(facts.secrets.staleCount - 1);
  });

  it("kill drill: the newest finished drill decides; passed under a second passes, failed fails", async () => {
    const at = new Date(Date.now() + 1000); // newer than any drill another test ran
    const passed = await db().killDrill.create({ data: { id: newId("drill"), status: "passed", timeToEffectMs: 37, startedAt: at, finishedAt: at } });
    let item = await itemOf("kill_drill");
    expect(item.status).toBe("pass");
    expect(item.evidence[0]).toContain(`(${passed.id})`);
    expect(item.evidence[0]).toContain("time to effect 37 ms");
    const later = new Date(at.getTime() + 1000);
    await db().killDrill.create({ data: { id: newId("drill"), status: "failed", error: "seeded", startedAt: later, finishedAt: later } });
    item = await itemOf("kill_drill");
    expect(item.status).toBe("fail");
    expect(item.fix).toEqual({ label: "Run a drill", href: "/settings/drills" });
  });

  it("irreversible approval: every irreversible tool listed; one whose quorum cannot be met fails", async () => {
    const tool = await makeTool({ risk: "irreversible" });
    let item = await itemOf("irreversible_approval");
    expect(item.status).toBe("pass");
    expect(item.evidence[1]).toContain(`${tool.name} (any)`);
    await db().tool.update({ where: { id: tool.id }, data: { approvalPolicy: "quorum", approvalQuorum: 0 } });
    item = await itemOf("irreversible_approval");
    expect(item.status).toBe("fail");
    expect(item.evidence[1]).toContain(`${tool.name} (policy quorum, quorum 0)`);
    await db().tool.update({ where: { id: tool.id }, data: { approvalPolicy: "any", approvalQuorum: 1 } });
  });

  it("tool calls audited counts decision events", async () => {
    const facts = await loadPostureFacts(db());
    const audited = await itemOf("tool_calls_audited");
    expect(audited.status).toBe(facts.decisions.count > 0 ? "pass" : "unknown");
    expect(audited.evidence.join(" ")).toContain(facts.decisions.count > 0 ? `audited in the last 7 days` : "No decisions");
  });

  it("delegation: a real exchange compares as narrower; an exchange wider than its parent in the trail fails the item", async () => {
    const tools = [(await makeTool()).name, (await makeTool()).name];
    const { agent: holder, clientSecret } = await createAgent(db(), { name: `posture-${uniqueTag()}`, owner, allowedScopes: tools }, testActor);
    made.push(holder.id);
    const token = async (body: string) => {
      const res = await tokenRoute(formRequest("/oauth/token", body, { authorization: basicAuth(holder.id, clientSecret!) }));
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const parent = await token(`grant_type=client_credentials&scope=${encodeURIComponent(tools.join(" "))}`);
    // the holder narrows its own token: a token exchange with half the scope
    await token(
      `grant_type=${encodeURIComponent("urn:ietf:params:oauth:grant-type:token-exchange")}&subject_token=${parent}` +
        `&subject_token_type=${encodeURIComponent("urn:ietf:params:oauth:token-type:access_token")}&scope=${tools[0]}`,
    );
    let facts = await loadPostureFacts(db());
    expect(facts.delegation.tokenExchange).toBe(true);
    expect(facts.delegation.checked).toBeGreaterThan(0);
    expect(facts.delegation.widened).toEqual([]);
    expect((await itemOf("delegation_narrows")).status).toBe("pass");

    // a trail entry claiming an exchange that added a tool (the exchange refuses that, so it is written by hand here)
    const issued = await db().auditEvent.findFirstOrThrow({ where: { action: "token.issue", actorId: holder.id }, orderBy: { createdAt: "desc" } });
    const subjectJti = (JSON.parse(issued.details) as { jti: string }).jti;
    const forged = await recordAuditEvent(db(), {
      actor: { type: "agent", id: holder.id, label: holder.name },
      action: "token.exchange",
      details: { jti: `forged-${uniqueTag()}`, subjectJti, scope: `${tools.join(" ")} db.drop`, grant: "token-exchange" },
    });
    facts = await loadPostureFacts(db());
    expect(facts.delegation.widened).toEqual([{ eventId: forged, extra: ["db.drop"] }]);
    const item = await itemOf("delegation_narrows");
    expect(item.status).toBe("fail");
    expect(item.evidence.join(" ")).toContain(`Exchange ${forged} issued tools its parent token did not hold: db.drop`);
  });

  it("GET /api/v1/posture: admins and auditors; others 403", async () => {
    const auditor = await consoleSession("auditor");
    const res = await postureRoute(apiRequest("/api/v1/posture", { session: auditor.session }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([
      "own_credentials",
      "token_lifetime",
      "secret_rotation",
      "kill_drill",
      "irreversible_approval",
      "tool_calls_audited",
      "delegation_narrows",
    ]);
    expect(body.summary.pass + body.summary.fail + body.summary.unknown).toBe(7);
    for (const role of ["viewer", "approver"] as const) {
      const s = await consoleSession(role);
      expect((await postureRoute(apiRequest("/api/v1/posture", { session: s.session }))).status).toBe(403);
    }
  });
});
