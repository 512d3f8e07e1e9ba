// Approvals under concurrency, through the real routes: one approval allows exactly one of many simultaneous calls;
// many approvers clicking at once record exactly one outcome; the long poll answers as soon as the status changes.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import {
  approvalEvents,
  askDecision,
  decideAs,
  makeAgentWithTokens,
  makeApprover,
  makeIrreversibleTool,
  makeWorld,
  readApproval,
  type World,
} from "./approvals-helpers";

let world: World;
beforeAll(async () => {
  world = await makeWorld();
});

describe("races", () => {
  it("20 concurrent decisions with one approval: exactly one allow", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const approver = await makeApprover(world);
    const params = { amount: 700, target: "acct_9" };
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"), params)).body.approval.id;
    expect((await decideAs(approver, id, { decision: "approve" })).body.status).toBe("approved");

    const answers = await Promise.all(Array.from({ length: 20 }, () => askDecision(world, rsToken, tool.name, world.path("prod"), params)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const allowed = answers.filter((a) => a.body.decision === "allow");
    expect(allowed).toHaveLength(1);
    expect(allowed[0]!.body.approval.id).toBe(id);
    expect(answers.filter((a) => a.body.decision === "approval_required")).toHaveLength(19);
    // the losers all wait on one new request for the same call, never on the used one
    const reopened = new Set(answers.filter((x) => x.body.decision === "approval_required").map((a) => a.body.approval.id as string));
    expect(reopened.size).toBe(1);
    expect(reopened.has(id)).toBe(false);

    const row = await getDb().approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(row.consumedByDecisionId).toBe(allowed[0]!.body.decision_id);
    expect((await approvalEvents(id)).filter((e) => e.action === "approval.consume")).toHaveLength(1);
  });

  it("10 approvers approving and denying at once: exactly one outcome, the others told who decided first", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken } = await makeAgentWithTokens(world, [tool.name]);
    const approvers = await Promise.all(Array.from({ length: 10 }, () => makeApprover(world)));
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 1 })).body.approval.id;

    const answers = await Promise.all(approvers.map((a, i) => decideAs(a, id, { decision: i % 2 ? "deny" : "approve", comment: `vote ${i}` })));
    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    const losers = answers.filter((a) => a.status !== 200);
    expect(losers).toHaveLength(9);
    const row = await getDb().approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(["approved", "denied"]).toContain(row.status);
    expect(winners[0]!.body).toMatchObject({ status: row.status, decided_by: { id: row.decidedById } });
    const first = approvers.find((a) => a.user.id === row.decidedById)!.user.email;
    for (const l of losers) {
      expect(l.status).toBe(409);
      expect(l.body.error.message).toMatch(new RegExp(`^This request was already ${row.status} by ${first.replace(/[.+]/g, "\\$&")} at `));
      expect(l.body.error.details).toMatchObject({ status: row.status, decided_by: first });
    }
    expect(await getDb().approvalVote.count({ where: { approvalId: id } })).toBe(1);
    const outcomes = (await approvalEvents(id)).filter((e) => e.action === "approval.approve" || e.action === "approval.deny");
    expect(outcomes).toHaveLength(1);
  });
});

describe("long poll", () => {
  it("?wait returns as soon as the status changes, and at once when it is already settled", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken, apiToken } = await makeAgentWithTokens(world, [tool.name]);
    const approver = await makeApprover(world);
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 2 })).body.approval.id;

    const started = Date.now();
    const waiting = readApproval(id, { token: apiToken }, "?wait=20");
    await new Promise((r) => setTimeout(r, 400));
    await decideAs(approver, id, { decision: "deny", comment: "not today" });
    const answer = await waiting;
    const elapsed = Date.now() - started;
    expect(answer.body).toMatchObject({ id, status: "denied", comment: "not today" });
    // well before the 20 s the agent was willing to wait
    expect(elapsed).toBeLessThan(5_000);

    const again = Date.now();
    expect((await readApproval(id, { token: apiToken }, "?wait=20")).body.status).toBe("denied");
    expect(Date.now() - again).toBeLessThan(1_000);
  });

  it("a pending request answers pending after the wait, or as soon as the caller goes away", async () => {
    const tool = await makeIrreversibleTool();
    const { rsToken, apiToken } = await makeAgentWithTokens(world, [tool.name]);
    const id = (await askDecision(world, rsToken, tool.name, world.path("prod"), { amount: 3 })).body.approval.id;

    const t = Date.now();
    expect((await readApproval(id, { token: apiToken }, "?wait=1")).body.status).toBe("pending");
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);

    const controller = new AbortController();
    const t2 = Date.now();
    const waiting = readApproval(id, { token: apiToken }, "?wait=30", controller.signal);
    setTimeout(() => controller.abort(), 300);
    expect((await waiting).body.status).toBe("pending");
    expect(Date.now() - t2).toBeLessThan(3_000);
  });
});
