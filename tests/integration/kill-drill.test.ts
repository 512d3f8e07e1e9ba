// The kill-switch drill through its API: a live canary is made, allowed, killed and measured; the drill passes under
// one second, records every step with its time, and leaves nothing behind.
import { describe, expect, it } from "vitest";
import { GET as listRoute, POST as runRoute } from "@/app/api/v1/drills/route";
import { getDb } from "@/lib/db/client";
import type { DrillView } from "@/lib/drills/drill-view";
import { DRILL_ROOT } from "@/lib/drills/run-drill";
import { makeApiKey } from "../helpers/factories";
import { apiRequest, json } from "../helpers/http";
import { consoleSession } from "./authz-helpers";

describe("POST /api/v1/drills", () => {
  it("runs a live drill: allow, kill, both endpoints refuse in under 1 s, every step timed, everything removed", async () => {
    const admin = await consoleSession("admin");
    const res = await runRoute(apiRequest("/api/v1/drills", { session: admin.session, headers: admin.headers, method: "POST" }));
    expect(res.status).toBe(201);
    const drill = (await json(res)) as DrillView;
    console.log(`drill ${drill.id}: ${drill.status}, time to effect ${drill.timeToEffectMs} ms`);
    expect(drill).toMatchObject({ status: "passed", error: null, startedById: admin.user.id });
    expect(drill.timeToEffectMs).toBeGreaterThan(0);
    expect(drill.timeToEffectMs).toBeLessThan(1_000);
    expect(drill.steps.map((s) => s.step)).toEqual([
      "setup",
      "token_issued",
      "decision_allows",
      "introspection_active",
      "kill_switch",
      ...(drill.steps[5]!.step === "introspection_rejects" ? ["introspection_rejects", "decision_denies"] : ["decision_denies", "introspection_rejects"]),
      "cleanup",
    ]);
    expect(drill.steps.every((s) => s.ok)).toBe(true);
    const times = drill.steps.map((s) => Date.parse(s.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(drill.steps.find((s) => s.step === "decision_denies")!.detail).toContain("deny (agent_killed)");

    // nothing left: the canary and probe agents, their grant, node, tool and resource server are gone
    const db = getDb();
    expect(drill.canaryAgentId).toMatch(/^agt_/);
    expect(await db.agent.count({ where: { id: drill.canaryAgentId! } })).toBe(0);
    expect(await db.agent.count({ where: { name: { startsWith: "drill-" } } })).toBe(0);
    expect(await db.grant.count({ where: { principalId: drill.canaryAgentId! } })).toBe(0);
    expect(await db.tool.count({ where: { name: { startsWith: "deputy.drill." } } })).toBe(0);
    expect(await db.resourceServer.count({ where: { name: { startsWith: "drill-" } } })).toBe(0);
    const root = await db.resourceNode.findFirstOrThrow({ where: { parentId: null, name: DRILL_ROOT } });
    expect(await db.resourceNode.count({ where: { parentId: root.id } })).toBe(0);
    // and the trail has it: the kill and the drill
    expect(await db.auditEvent.count({ where: { action: "agent.kill", targetId: drill.canaryAgentId! } })).toBe(1);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "drill.run", targetId: drill.id } });
    expect(JSON.parse(event.details)).toMatchObject({ status: "passed", timeToEffectMs: drill.timeToEffectMs });

    // a second drill reuses the drill root
    const again = (await json(await runRoute(apiRequest("/api/v1/drills", { key: (await makeApiKey()).key, method: "POST" })))) as DrillView;
    expect(again.status).toBe("passed");
    expect(await db.resourceNode.count({ where: { parentId: null, name: DRILL_ROOT } })).toBe(1);

    const list = await json(await listRoute(apiRequest("/api/v1/drills", { key: (await makeApiKey()).key })));
    expect(list.drills.slice(0, 2).map((d: DrillView) => d.id)).toEqual([again.id, drill.id]);
  });

  it("admins run drills; auditors may read the history; others neither", async () => {
    const auditor = await consoleSession("auditor");
    expect((await runRoute(apiRequest("/api/v1/drills", { session: auditor.session, headers: auditor.headers, method: "POST" }))).status).toBe(403);
    expect((await listRoute(apiRequest("/api/v1/drills", { session: auditor.session }))).status).toBe(200);
    const viewer = await consoleSession("viewer");
    expect((await listRoute(apiRequest("/api/v1/drills", { session: viewer.session }))).status).toBe(403);
  });
});
