// Human approvals through the real routes: a decision that answers approval_required opens a request bound to the
// exact call; an eligible approver decides it (re-entering the password to approve); the next identical decision is
// allowed once and uses it up. Time-dependent cases pass `now` explicitly; nothing sleeps for expiry.
import { beforeAll, describe, expect, it } from "vitest";
import { paramsHash } from "@/lib/approvals/call";
import { decideApproval } from "@/lib/approvals/decide-approval";
import { expireDueApprovals } from "@/lib/approvals/expire-approvals";
import { getApproval } from "@/lib/approvals/get-approval";
import { loadApprovalTool, openApprovalRequest } from "@/lib/approvals/open-approval";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { makeDecision } from "@/lib/authz/make-decision";
import { type Db, getDb, inTransaction } from "@/lib/db/client";
import { authenticateResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { makeUser, TEST_PASSWORD, testActor } from "../helpers/factories";
import { apiError } from "../helpers/http";
import { adminKey, consoleSession, makeGrant, makeTree } from "./authz-helpers";
import {
  approvalEvents,
  askDecision,
  cancelAs,
  decideAs,
  listAs,
  makeAgentWithTokens,
  makeApprover,
  makeIrreversibleTool,
  makeWorld,
  openAsAgent,
  readApproval,
  type World,
} from "./approvals-helpers";

let world: World;
beforeAll(async () => {
  world = await makeWorld();
});

const db = (): Db => getDb();
/** The actions recorded about a request, sorted: events written in the same millisecond have no order among them. */
const approvalActions = async (id: string) => (await approvalEvents(id)).map((e) => e.action).sort();

describe("a decision that needs approval opens a request bound to the exact call", () => {
  it("answers approval_required with the request; asking again reuses it; approving lets exactly one call through", async () => {
    const tool = await makeIrreversibleTool();
    const { agent, rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const approver = await makeApprover(world);
    const params = { amount: 120, target: "inv_1" };

    const first = await askDecision(world, rsToken, tool.name, world.path("prod/payments"), params);
    expect(first.status).toBe(200);
    expect(first.body.decision).toBe("approval_required");
    const approval = first.body.approval;
    expect(approval).toMatchObject({ status: "pending", url: `http://localhost:3000/approvals/${approval.id}` });
    expect(approval.id).toMatch(/^apr_/);
    const row = await db().approvalRequest.findUniqueOrThrow({ where: { id: approval.id } });
    expect(row).toMatchObject({
      status: "pending",
      source: "decision",
      agentId: agent.id,
      userId: null,
      principals: JSON.stringify([`agent:${agent.id}`]),
      toolName: tool.name,
      nodeId: world.tree.nodes["prod/payments"]!.id,
      paramsHash: paramsHash(params),
      params: '{"amount":120,"target":"inv_1"}',
      policy: "any",
      quorum: 1,
      resourceServerId: world.rsId,
      decisionId: first.body.decision_id,
    });
    // the default time to live: ten minutes
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(600_000);
    expect(approval.expires_at).toBe(row.expiresAt.toISOString());

    // the same call again (keys in another order) while it waits: the same request, not a second one in the inbox
    const again = await askDecision(world, rsToken, tool.name, world.path("prod/payments"), { target: "inv_1", amount: 120 });
    expect(again.body).toMatchObject({ decision: "approval_required", approval: { id: approval.id, status: "pending" } });

    const decided = await decideAs(approver, approval.id, { decision: "approve", comment: "ok, customer called" });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: "approved", comment: "ok, customer called", decided_by: { id: approver.user.id, email: approver.user.email } });

    const allowed = await askDecision(world, rsToken, tool.name, world.path("prod/payments"), params);
    expect(allowed.body.decision).toBe("allow");
    expect(allowed.body.reasons[0]).toEqual({
      code: "approved",
      message: `${approver.user.email} approved this exact call (${approval.id}); the approval is now used and allows nothing again`,
    });
    expect(allowed.body.approval).toMatchObject({ id: approval.id, status: "approved" });
    const used = await db().approvalRequest.findUniqueOrThrow({ where: { id: approval.id } });
    expect(used.consumedAt).not.toBeNull();
    expect(used.consumedByDecisionId).toBe(allowed.body.decision_id);

    // a replay is not allowed: it needs a new approval
    const replay = await askDecision(world, rsToken, tool.name, world.path("prod/payments"), params);
    expect(replay.body.decision).toBe("approval_required");
    expect(replay.body.approval.id).not.toBe(approval.id);

    // every step is in the audit trail: request, vote, approval, use; the decisions name the approval
    expect(await approvalActions(approval.id)).toEqual(["approval.request", "approval.vote", "approval.approve", "approval.consume"].sort());
    const decisionEvent = await db().auditEvent.findUniqueOrThrow({ where: { id: allowed.body.decision_id } });
    expect(decisionEvent).toMatchObject({ action: "decision.make", result: "allow" });
    expect(JSON.parse(decisionEvent.details)).toMatchObject({ approvalId: approval.id, reasons: [{ code: "approved" }, { code: "granted" }] });
  });

  it("binds the parameters: an approval for one amount allows no other amount", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const approver = await makeApprover(world);
    const opened = await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 10 });
    await decideAs(approver, opened.body.approval.id, { decision: "approve" });

    const other = await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 11 });
    expect(other.body.decision).toBe("approval_required");
    expect(other.body.approval.id).not.toBe(opened.body.approval.id);
    // another node is another call too
    expect((await askDecision(world, rsToken, tool.name, world.path("staging"), { amount: 10 })).body.decision).toBe("approval_required");
    // the approved call itself still goes through, once
    expect((await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 10 })).body.decision).toBe("allow");
  });

  it("a denied request never allows; the agent reads the approver's comment with its own token", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken, apiToken } = await makeAgentWithTokens(world, [tool.name]);
    const approver = await makeApprover(world);
    const opened = await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 5000 });
    const id = opened.body.approval.id;

    // denying needs no password: a stolen session can only say no
    const denied = await decideAs(approver, id, { decision: "deny", comment: "too large, split it" });
    expect(denied.body).toMatchObject({ status: "denied", comment: "too large, split it" });

    const read = await readApproval(id, { token: apiToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      id,
      status: "denied",
      tool: tool.name,
      resource: { id: world.tree.nodes.prod!.id, path: world.path("prod") },
      params: { amount: 5000 },
      justification: null,
      created_at: expect.any(String),
      expires_at: expect.any(String),
      decided_at: expect.any(String),
      comment: "too large, split it",
      consumed_at: null,
    });
    const next = await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 5000 });
    expect(next.body.decision).toBe("approval_required");
    expect(next.body.approval.id).not.toBe(id);
    expect(await approvalActions(id)).toEqual(["approval.request", "approval.vote", "approval.deny"].sort());
  });

  it("takes the time to live from the tool", async () => {
    const tool = await makeIrreversibleTool({ approvalTtlSeconds: 90 });
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const opened = await askDecision(world, rsToken, tool.name, world.path("prod"));
    const row = await db().approvalRequest.findUniqueOrThrow({ where: { id: opened.body.approval.id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(90_000);
  });
});

describe("expiry, exact at the boundary", () => {
  async function openAt(now: Date, ttlSeconds = 60) {
    const tool = await makeIrreversibleTool({ approvalTtlSeconds: ttlSeconds });
    const { rsToken, apiToken } = await makeAgentWithTokens(world, [tool.name]);
    const server = await authenticateResourceServer(db(), `Bearer ${world.rsSecret}`);
    const input = { token: rsToken, tool: tool.name, resource: world.path("prod"), params: { amount: 1 } };
    const r = await makeDecision(db(), server, input, now);
    expect(r.decision).toBe("approval_required");
    return { id: r.approval!.id, expiresAt: new Date(now.getTime() + ttlSeconds * 1000), decideAt: (at: Date) => makeDecision(db(), server, input, at), apiToken };
  }

  it("can be approved one millisecond before it expires, and not at the instant it expires", async () => {
    const approver = await makeApprover(world);
    const t0 = new Date();
    const late = await openAt(t0);
    await expect(decideApproval(db(), late.id, { decision: "approve", password: TEST_PASSWORD }, approver.actor, late.expiresAt)).rejects.toMatchObject({
      code: "conflict",
      message: `This request expired at ${late.expiresAt.toISOString()} and can no longer be decided`,
    });
    // refusing it marked it expired, with its audit event
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: late.id } })).status).toBe("expired");
    expect(await approvalActions(late.id)).toEqual(["approval.request", "approval.expire"].sort());

    const inTime = await openAt(t0);
    const view = await decideApproval(db(), inTime.id, { decision: "approve", password: TEST_PASSWORD }, approver.actor, new Date(inTime.expiresAt.getTime() - 1));
    expect(view.status).toBe("approved");
  });

  it("a waiting request is reused until one millisecond before it expires; at that instant a new one opens", async () => {
    const t0 = new Date();
    const a = await openAt(t0);
    const justBefore = await a.decideAt(new Date(a.expiresAt.getTime() - 1));
    expect(justBefore).toMatchObject({ decision: "approval_required", approval: { id: a.id, status: "pending", expires_at: a.expiresAt.toISOString() } });
    const atExpiry = await a.decideAt(a.expiresAt);
    expect(atExpiry.decision).toBe("approval_required");
    expect(atExpiry.approval!.id).not.toBe(a.id);
  });

  it("an approval not used before its expiry allows nothing", async () => {
    const approver = await makeApprover(world);
    const t0 = new Date();
    const a = await openAt(t0);
    await decideApproval(db(), a.id, { decision: "approve", password: TEST_PASSWORD }, approver.actor, new Date(t0.getTime() + 1000));
    const atExpiry = await a.decideAt(a.expiresAt);
    expect(atExpiry.decision).toBe("approval_required");
    expect(atExpiry.approval!.id).not.toBe(a.id);

    const b = await openAt(t0);
    await decideApproval(db(), b.id, { decision: "approve", password: TEST_PASSWORD }, approver.actor, new Date(t0.getTime() + 1000));
    const justBefore = await b.decideAt(new Date(b.expiresAt.getTime() - 1));
    expect(justBefore).toMatchObject({ decision: "allow", approval: { id: b.id } });
  });

  it("reading a request past its expiry marks it expired; the sweep expires every due request and only those", async () => {
    const t0 = new Date();
    const read = await openAt(t0);
    expect((await getApproval(db(), read.id, { kind: "agent", agentId: (await db().approvalRequest.findUniqueOrThrow({ where: { id: read.id } })).agentId }, new Date(read.expiresAt.getTime() - 1))).status).toBe("pending");
    const agentId = (await db().approvalRequest.findUniqueOrThrow({ where: { id: read.id } })).agentId;
    expect((await getApproval(db(), read.id, { kind: "agent", agentId }, read.expiresAt)).status).toBe("expired");
    expect(await approvalActions(read.id)).toEqual(["approval.request", "approval.expire"].sort());

    const due = await openAt(t0, 60);
    const notYet = await openAt(t0, 120);
    expect(await expireDueApprovals(db(), due.expiresAt)).toBeGreaterThanOrEqual(1);
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: due.id } })).status).toBe("expired");
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: notYet.id } })).status).toBe("pending");
    // a second sweep at the same instant records nothing twice
    await expireDueApprovals(db(), due.expiresAt);
    expect((await approvalEvents(due.id)).filter((e) => e.action === "approval.expire")).toHaveLength(1);
  });
});

describe("who may decide", () => {
  it("needs the approver or admin console role and the Approver role on the node or above; re-entering the password to approve", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const opened = await askDecision(world, rsToken, tool.name, world.path("prod/payments"), { amount: 3 });
    const id = opened.body.approval.id;

    // Approver role on a sibling: not eligible
    const sideways = await makeApprover(world, { node: world.tree.nodes.staging!.id });
    expect(await decideAs(sideways, id, { decision: "approve" })).toEqual({
      status: 403,
      body: apiError("forbidden", `You do not hold the Approver role on ${world.path("prod/payments")} or above it`),
    });
    // the console role alone is not enough
    const roleOnly = await consoleSession("approver");
    expect((await decideAs({ session: roleOnly.session }, id, { decision: "deny" })).status).toBe(403);
    // nor the Approver role alone, for an auditor
    const auditor = await consoleSession("auditor");
    await makeGrant({ principal: { type: "user", id: auditor.user.id }, node: world.tree.nodes[""]!.id, role: "Approver" });
    expect(await decideAs({ session: auditor.session }, id, { decision: "deny" })).toEqual({ status: 403, body: apiError("forbidden", "Your role may not do this") });

    const approver = await makeApprover(world, { node: world.tree.nodes.prod!.id });
    expect(await decideAs(approver, id, { decision: "approve", password: "wrong password!!" })).toEqual({ status: 403, body: apiError("forbidden", "The password is not correct") });
    expect(await decideAs(approver, id, { decision: "approve", password: undefined as unknown as string })).toMatchObject({ status: 400 });
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("pending");
    expect(await db().approvalVote.count({ where: { approvalId: id } })).toBe(0);
    // the wrong password is in the trail, as a failed vote
    const failed = (await approvalEvents(id)).filter((e) => e.action === "approval.vote");
    expect(failed.map((e) => [e.result, e.actorId, JSON.parse(e.details).reason])).toEqual([["failure", approver.user.id, "wrong_password"]]);

    // an admin API key is not a person who can re-enter a password
    const key = await adminKey();
    const byKey = await (await import("@/app/api/v1/approvals/[approvalId]/decide/route")).POST(
      (await import("../helpers/http")).apiRequest(`/api/v1/approvals/${id}/decide`, { key, json: { decision: "deny" } }),
      { params: Promise.resolve({ approvalId: id }) },
    );
    expect(byKey.status).toBe(403);

    // an admin with the Approver role may decide
    const admin = await makeApprover(world, { role: "admin" });
    expect((await decideAs(admin, id, { decision: "approve" })).body.status).toBe("approved");
  });

  it("a suspended agent's request can be denied, not approved", async () => {
    const tool = await makeIrreversibleTool();
    const { agent, rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"))).body.approval.id;
    await suspendAgent(db(), agent.id, testActor);
    const approver = await makeApprover(world);
    expect(await decideAs(approver, id, { decision: "approve" })).toEqual({ status: 409, body: apiError("conflict", "The agent is suspended; its requests can only be denied") });
    expect((await decideAs(approver, id, { decision: "deny" })).body.status).toBe("denied");
  });

  it("wrong passwords are throttled per approver", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"))).body.approval.id;
    const approver = await makeApprover(world);
    for (let i = 0; i < 5; i++) expect((await decideAs(approver, id, { decision: "approve", password: `wrong-${i}-xxxxxxxx` })).status).toBe(403);
    const blocked = await decideAs(approver, id, { decision: "approve" });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("rate_limited");
  });

  it("not_subject: the person the agent acts for may not approve their own request; someone else may", async () => {
    const tool = await makeIrreversibleTool({ approvalPolicy: "not_subject" });
    const subject = await makeApprover(world);
    const other = await makeApprover(world);
    const { agent } = await makeAgentWithTokens(world, [tool.name]);
    // a call for a person (a delegated token's principals: the user, then the agent)
    const row = await inTransaction(db(), async (tx) =>
      openApprovalRequest(
        tx,
        {
          source: "decision",
          agentId: agent.id,
          principals: [{ type: "user", id: subject.user.id }, { type: "agent", id: agent.id }],
          tool: await loadApprovalTool(tx, tool.name),
          nodeId: world.tree.nodes.prod!.id,
          resourcePath: world.path("prod"),
          params: { amount: 1 },
        },
        testActor,
        new Date(),
      ),
    );
    expect(row).toMatchObject({ userId: subject.user.id, policy: "not_subject" });
    expect(await decideAs(subject, row.id, { decision: "approve" })).toEqual({
      status: 403,
      body: apiError("forbidden", "This tool's policy: the person the agent acts for may not approve their own request"),
    });
    expect((await decideAs(other, row.id, { decision: "approve" })).body.status).toBe("approved");
  });

  it("quorum: N distinct approvers must approve; one person counts once; a deny denies", async () => {
    const tool = await makeIrreversibleTool({ approvalPolicy: "quorum", approvalQuorum: 2 });
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const [a, b, c] = [await makeApprover(world), await makeApprover(world), await makeApprover(world)];
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 9 })).body.approval.id;

    const one = await decideAs(a, id, { decision: "approve", comment: "first" });
    expect(one.body).toMatchObject({ status: "pending", quorum: 2, votes: [{ user: { id: a.user.id }, vote: "approve", comment: "first" }] });
    expect((await decideAs(a, id, { decision: "approve" })).body.error.message).toMatch(/^You already voted to approve this request at /);
    // one approval of two allows nothing
    expect((await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 9 })).body).toMatchObject({ decision: "approval_required", approval: { id } });

    const two = await decideAs(b, id, { decision: "approve", comment: "second" });
    expect(two.body).toMatchObject({ status: "approved", decided_by: { id: b.user.id }, comment: "second" });
    expect((await decideAs(c, id, { decision: "deny" })).body.error.message).toMatch(new RegExp(`^This request was already approved by ${b.user.email} at `));
    expect((await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 9 })).body.decision).toBe("allow");
    expect(await approvalActions(id)).toEqual(["approval.request", "approval.vote", "approval.vote", "approval.approve", "approval.consume"].sort());

    const id2 = (await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 10 })).body.approval.id;
    await decideAs(a, id2, { decision: "approve" });
    expect((await decideAs(c, id2, { decision: "deny", comment: "no" })).body).toMatchObject({ status: "denied", comment: "no" });
  });
});

describe("agents open, read and cancel their own requests", () => {
  it("opens one with a justification and reasoning trace; the same call again returns it; approved, it allows the call", async () => {
    const tool = await makeIrreversibleTool();
    const { agent, rsToken, apiToken } = await makeAgentWithTokens(world, [tool.name]);
    const body = {
      tool: tool.name,
      resource: world.path("prod"),
      params: { amount: 42 },
      justification: "Customer asked for a refund of order 42",
      reasoning_trace: "1. read ticket\n2. matched order\n3. refund",
      task: { id: "ticket-42", description: "refund ticket" },
    };
    const opened = await openAsAgent(apiToken, body);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: "pending", tool: tool.name, params: { amount: 42 }, justification: body.justification });
    const row = await db().approvalRequest.findUniqueOrThrow({ where: { id: opened.body.id } });
    expect(row).toMatchObject({ source: "agent", reasoningTrace: body.reasoning_trace, task: '{"description":"refund ticket","id":"ticket-42"}', agentId: agent.id });
    const event = (await approvalEvents(row.id))[0]!;
    expect(event).toMatchObject({ action: "approval.request", actorType: "agent", actorId: agent.id });

    const same = await openAsAgent(apiToken, body);
    expect(same.status).toBe(200);
    expect(same.body.id).toBe(opened.body.id);

    const approver = await makeApprover(world);
    const detail = await readApproval(row.id, { session: approver.session });
    expect(detail.body).toMatchObject({
      agent: { id: agent.id, owner: { email: expect.any(String) } },
      reasoning_trace: body.reasoning_trace,
      tool: { name: tool.name, risk: "irreversible" },
      check: { decision: "approval_required" },
      grants: [{ principal: agent.name, via: "role Deployer", node: world.tree.root }],
      viewer: { can_decide: true, reason: null },
    });
    await decideAs(approver, row.id, { decision: "approve" });
    expect((await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 42 })).body).toMatchObject({ decision: "allow", approval: { id: row.id } });
  });

  it("refuses calls outside the token's scope or that would be denied anyway, and bad input, with the API's envelope", async () => {
    const tool = await makeIrreversibleTool();
    const other = await makeIrreversibleTool();
    const { apiToken } = await makeAgentWithTokens(world, [tool.name]);
    expect(await openAsAgent(apiToken, { tool: other.name, resource: world.path("prod"), justification: "x" })).toEqual({
      status: 403,
      body: apiError("forbidden", `The token's scope does not include ${other.name}`),
    });
    const outside = await makeTree([]);
    const denied = await openAsAgent(apiToken, { tool: tool.name, resource: outside.root, justification: "x" });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/^This call would be denied even with an approval: .* has no grant for /);
    expect((await openAsAgent(apiToken, { tool: tool.name, resource: "no/such/node", justification: "x" })).status).toBe(404);
    expect((await openAsAgent(apiToken, { tool: tool.name, resource: world.path("prod") })).body.error.code).toBe("validation_failed");
    expect((await openAsAgent(apiToken, { tool: tool.name, resource: world.path("prod"), justification: `dps_${"a".repeat(43)}` })).status).toBe(400);
    // console users do not open requests
    const admin = await consoleSession("admin");
    const res = await (await import("@/app/api/v1/approvals/route")).POST(
      (await import("../helpers/http")).apiRequest("/api/v1/approvals", { session: admin.session, json: { tool: tool.name, resource: world.path("prod"), justification: "x" }, headers: admin.headers }),
    );
    expect(res.status).toBe(403);
  });

  it("an agent reads only its own requests; a token for a resource server is refused; the console needs a role", async () => {
    const tool = await makeIrreversibleTool();
    const mine = await makeAgentWithTokens(world, [tool.name]);
    const theirs = await makeAgentWithTokens(world, [tool.name]);
    const id = (await askDecision(world, mine.rsToken, tool.name, world.path("prod"))).body.approval.id;

    expect((await readApproval(id, { token: mine.apiToken })).status).toBe(200);
    const foreign = await readApproval(id, { token: theirs.apiToken });
    const missing = await readApproval("apr_nope", { token: theirs.apiToken });
    expect(foreign).toEqual({ status: 404, body: apiError("not_found", "Approval request not found") });
    expect(missing).toEqual(foreign);
    expect((await cancelAs(id, { token: theirs.apiToken })).status).toBe(404);

    const rs = await readApproval(id, { token: mine.rsToken });
    expect(rs.status).toBe(401);
    expect(rs.body.error.message).toMatch(/^This token was issued for another audience/);
    expect((await readApproval(id, { token: "eyJ.eyJ.sig" })).status).toBe(401);

    const viewer = await consoleSession("viewer");
    expect((await readApproval(id, { session: viewer.session })).status).toBe(403);
    const auditor = await consoleSession("auditor");
    expect((await readApproval(id, { session: auditor.session })).body).toMatchObject({ id, viewer: { can_decide: false } });
    expect((await readApproval(id, { token: mine.apiToken }, "?wait=31")).status).toBe(400);
  });

  it("cancel: the agent withdraws its own pending request, an admin any; a cancelled request can no longer be decided", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken, apiToken } = await makeAgentWithTokens(world, [tool.name]);
    const approver = await makeApprover(world);
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 1 })).body.approval.id;
    const cancelled = await cancelAs(id, { token: apiToken });
    expect(cancelled.body).toMatchObject({ id, status: "cancelled" });
    expect(await cancelAs(id, { token: apiToken })).toMatchObject({ status: 409 });
    expect((await decideAs(approver, id, { decision: "approve" })).body.error.message).toMatch(/^This request was cancelled by the agent at /);
    expect(await approvalActions(id)).toEqual(["approval.request", "approval.cancel"].sort());

    const id2 = (await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 2 })).body.approval.id;
    const key = await adminKey();
    expect((await cancelAs(id2, { key })).body.status).toBe("cancelled");
    // the cancelled call needs a new request
    expect((await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 2 })).body.approval.id).not.toBe(id2);
  });
});

describe("GET /api/v1/approvals", () => {
  it("lists newest first with filters and keyset paging, and counts pending requests", async () => {
    const tool = await makeIrreversibleTool();
    const { agent, rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const approver = await makeApprover(world);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: i })).body.approval.id);
    await decideAs(approver, ids[0]!, { decision: "deny" });

    const all = await listAs({ session: approver.session }, `?tool=${tool.name}`);
    expect(all.status).toBe(200);
    expect(all.body.approvals.map((a: { id: string }) => a.id)).toEqual([...ids].reverse());
    expect(all.body.pendingCount).toBeGreaterThanOrEqual(2);
    const page1 = await listAs({ session: approver.session }, `?agent=${agent.id}&limit=2`);
    expect(page1.body.approvals.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
    const page2 = await listAs({ session: approver.session }, `?agent=${agent.id}&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ approvals: [{ id: ids[0], status: "denied" }], nextCursor: null });
    const pending = await listAs({ session: approver.session }, `?tool=${tool.name}&status=pending`);
    expect(pending.body.approvals.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);

    expect((await listAs({ session: approver.session }, "?status=maybe")).status).toBe(400);
    expect((await listAs({ session: (await consoleSession("viewer")).session })).status).toBe(403);
    expect((await listAs({ key: await adminKey() }, `?tool=${tool.name}`)).body.approvals).toHaveLength(3);
  });

  it("decide on an unknown request is a 404 and bad input a 400, never a 500", async () => {
    const approver = await makeApprover(world);
    expect(await decideAs(approver, "apr_missing", { decision: "deny" })).toEqual({ status: 404, body: apiError("not_found", "Approval request not found") });
    expect((await decideAs(approver, "apr_missing", { decision: "maybe" })).body.error.code).toBe("validation_failed");
    expect((await decideAs(approver, "apr_missing", { decision: "deny", comment: "x".repeat(2001) })).status).toBe(400);
  });
});

describe("the approvers' view", () => {
  it("a user that is not an approver sees why they may not decide", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"))).body.approval.id;
    const { user } = await makeUser({ role: "approver" });
    const view = await getApproval(db(), id, { kind: "console", user });
    expect(view).toMatchObject({ viewer: { can_decide: false, reason: `You do not hold the Approver role on ${world.path("prod")} or above it` } });
  });
});
