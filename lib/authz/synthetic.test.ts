import { describe, expect, it } from "vitest";
import { decide } from "./decide";
import { ancestors } from "./paths";
import { syntheticWorld } from "./synthetic";
import { applicableGrants, bruteForceDecision, readGrants } from "./testing/brute-force";
import { principalKey } from "./types";

// The synthetic world the benchmark reuses: its shape, its determinism, and decide() on it against the brute-force
// oracle. Timing is the benchmark's business, not this file's.

describe("syntheticWorld", () => {
  it("builds 100,000 nodes six levels deep, and a principal with 1,000 grants, on which decide is right", () => {
    const world = syntheticWorld({ nodes: 100_000, depth: 6, grants: 1_000, seed: 7 });
    const { snapshot } = world;
    expect(snapshot.nodes.size).toBe(100_000);
    expect(world.levels).toHaveLength(6);
    expect(world.levels.flat()).toHaveLength(100_000);
    expect(world.levels[0]).toHaveLength(1);
    // every node hangs below a node of the level above: chains are exactly as long as the level is deep
    world.levels.forEach((level, depth) => {
      for (const id of level.slice(0, 200)) expect(ancestors(snapshot, id)).toHaveLength(depth + 1);
    });
    expect(world.principals).toEqual([{ type: "agent", id: "agt_0" }]);
    const grants = snapshot.grantsByPrincipal.get("agent:agt_0")!;
    expect(grants).toHaveLength(1_000);
    expect(grants.every((g) => snapshot.nodes.has(g.nodeId) && g.nodeId !== world.levels[0][0])).toBe(true);

    // a known case: a plain grant (no window, schedule, constraint or approval) on a mid-level node
    const now = world.now;
    const plain = grants.find(
      (g) =>
        g.notBefore === null &&
        g.expiresAt === null &&
        g.schedule === null &&
        Object.keys(g.constraints).length === 0 &&
        !g.requiresApproval &&
        world.levels[3].includes(g.nodeId),
    )!;
    expect(plain).toBeDefined();
    const tool = [...plain.tools].find((t) => snapshot.tools.get(t)!.risk !== "irreversible")!;
    // ...reaches a leaf below it
    const leaf = world.levels[5].find((id) => ancestors(snapshot, id).includes(plain.nodeId))!;
    expect(leaf).toBeDefined();
    const below = decide(snapshot, { tool, nodeId: leaf, params: {}, principals: [world.principals[0]] }, now);
    expect(below.decision).toBe("allow");
    expect(ancestors(snapshot, leaf)).toContain(below.grants[0].nodeId);
    // ...and the answer on its parent and on a sibling is whatever the oracle says, never borrowed from this grant
    const parent = snapshot.nodes.get(plain.nodeId)!.parentId!;
    const sibling = world.levels[3].find((id) => id !== plain.nodeId && snapshot.nodes.get(id)!.parentId === parent);
    for (const nodeId of [parent, ...(sibling ? [sibling] : [])]) {
      const request = { tool, nodeId, params: {}, principals: [world.principals[0]] };
      const result = decide(snapshot, request, now);
      expect(result.decision).toBe(bruteForceDecision(snapshot, request, now));
      expect(result.grants.map((g) => g.grantId)).not.toContain(plain.id);
    }

    // and across sampled requests, decide agrees with the oracle
    for (const request of world.sampleRequests(300)) {
      expect(decide(snapshot, request, now).decision).toBe(bruteForceDecision(snapshot, request, now));
    }
  });

  it("is deterministic by seed", () => {
    const a = syntheticWorld({ nodes: 5_000, depth: 6, grants: 3_000, seed: 42, grantsPerPrincipal: 500 });
    const b = syntheticWorld({ nodes: 5_000, depth: 6, grants: 3_000, seed: 42, grantsPerPrincipal: 500 });
    const c = syntheticWorld({ nodes: 5_000, depth: 6, grants: 3_000, seed: 43, grantsPerPrincipal: 500 });
    expect([...b.snapshot.nodes.values()]).toEqual([...a.snapshot.nodes.values()]);
    expect([...b.snapshot.grantsByPrincipal]).toEqual([...a.snapshot.grantsByPrincipal]);
    expect(b.sampleRequests(200)).toEqual(a.sampleRequests(200));
    expect(a.sampleRequests(50)).toEqual(a.sampleRequests(200).slice(0, 50));
    expect([...c.snapshot.nodes.values()]).not.toEqual([...a.snapshot.nodes.values()]);
    expect(c.sampleRequests(200)).not.toEqual(a.sampleRequests(200));
  });

  it("spreads grants over principals and asks a mix of questions, all answered as the oracle does", () => {
    const world = syntheticWorld({ nodes: 5_000, depth: 6, grants: 6_000, seed: 3, grantsPerPrincipal: 500 });
    expect(world.principals).toHaveLength(12);
    expect(world.principals.filter((p) => p.type === "user")).toHaveLength(6);
    let total = 0;
    for (const p of world.principals) total += world.snapshot.grantsByPrincipal.get(principalKey(p))!.length;
    expect(total).toBe(6_000);

    const decisions: Record<string, number> = {};
    const codes = new Set<string>();
    let onBehalfOf = 0;
    for (const request of world.sampleRequests(1_000)) {
      const result = decide(world.snapshot, request, world.now);
      expect(result.decision).toBe(bruteForceDecision(world.snapshot, request, world.now));
      decisions[result.decision] = (decisions[result.decision] ?? 0) + 1;
      for (const r of result.reasons) codes.add(r.code);
      if (request.principals.length > 1) onBehalfOf++;
      // a denied principal truly has nothing applicable; an allowed one truly has its reported grant
      for (const reason of result.reasons) {
        if (!reason.principal) continue;
        const held = applicableGrants(world.snapshot, request, reason.principal, world.now.getTime());
        // an audience member may also be allowed by reading the node
        if (reason.role === "audience") held.push(...readGrants(world.snapshot, request, reason.principal, world.now.getTime()));
        if (reason.code === "granted") expect(held.map((g) => g.id)).toContain(reason.grantId);
        else if (reason.code !== "approval_required") expect(held).toEqual([]);
      }
    }
    expect(decisions.allow).toBeGreaterThan(100);
    expect(decisions.deny).toBeGreaterThan(100);
    expect(decisions.approval_required).toBeGreaterThan(10);
    expect(onBehalfOf).toBeGreaterThan(300);
    for (const c of ["granted", "no_grant", "expired", "not_yet_valid", "constraint_failed", "approval_required"]) {
      expect(codes).toContain(c);
    }
  });

  it("handles small and odd shapes", () => {
    expect(syntheticWorld({ nodes: 1, depth: 6, grants: 10, seed: 1 }).snapshot.nodes.size).toBe(1);
    const flat = syntheticWorld({ nodes: 50, depth: 1, grants: 10, seed: 1 });
    expect(flat.levels).toEqual([flat.levels[0]]);
    expect(flat.levels[0]).toHaveLength(50);
    const deep = syntheticWorld({ nodes: 10, depth: 8, grants: 10, seed: 1 });
    expect(deep.levels.map((l) => l.length).reduce((a, b) => a + b)).toBe(10);
    expect(deep.levels.every((l) => l.length >= 1)).toBe(true);
    expect(deep.sampleRequests(20)).toHaveLength(20);
  });
});
