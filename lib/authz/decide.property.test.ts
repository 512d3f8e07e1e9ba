import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "./decide";
import { bruteForceDecision, isSelfOrAncestor } from "./testing/brute-force";
import {
  type AuthzSnapshot,
  type Decision,
  type DecisionRequest,
  type ParamConstraint,
  type PrincipalRef,
  principalKey,
  type Risk,
  type Schedule,
  type SnapshotGrant,
  type SnapshotNode,
} from "./types";

// Random trees (a forest of up to 40 nodes), random grants, random requests: decide() against a brute-force oracle,
// and the properties the product promises (PRODUCT.md 3 and 4), each as stated there.

const RUNS = { numRuns: 300 };

/** Tuesday 3 March 2026, 15:00 UTC */
const NOW = Date.UTC(2026, 2, 3, 15, 0, 0);

const PRINCIPALS: PrincipalRef[] = [
  { type: "agent", id: "agt_a" },
  { type: "agent", id: "agt_b" },
  { type: "user", id: "usr_u" },
  { type: "user", id: "usr_v" },
];
const AGENTS = PRINCIPALS.filter((p) => p.type === "agent");
const USERS = PRINCIPALS.filter((p) => p.type === "user");

const TOOLS: [string, Risk][] = [
  ["t.read", "read"],
  ["t.write", "write"],
  ["t.irrev", "irreversible"],
];
const TOOL_SETS: [string, ReadonlySet<string>][] = [
  ["role Viewer", new Set(["t.read"])],
  ["role Editor", new Set(["t.read", "t.write"])],
  ["role Operator", new Set(["t.write", "t.irrev"])],
  ["tool t.irrev", new Set(["t.irrev"])],
  ["tool t.write", new Set(["t.write"])],
];
const SCHEDULES: Schedule[] = [
  { days: [2], start: "14:00", end: "16:00", timeZone: "UTC" }, // contains NOW
  { days: [2], start: "15:00", end: "15:01", timeZone: "UTC" }, // contains NOW, not NOW + 1 minute
  { days: [1, 3], start: "00:00", end: "24:00", timeZone: "UTC" }, // never on a Tuesday
  { days: [2], start: "10:00", end: "11:00", timeZone: "America/New_York" }, // NOW is 10:00 there
];
const CONSTRAINTS: Record<string, ParamConstraint>[] = [
  { branch: { glob: "f*" } },
  { amount: { max: 10 } },
  { env: { equals: "dev" } },
  { env: { oneOf: ["dev", "qa"] }, amount: { max: 100 } },
];
// instants around NOW, so that window edges (inclusive start, exclusive end) are hit often
const INSTANTS = [NOW - 60_000, NOW - 1, NOW, NOW + 1, NOW + 60_000];

type GrantSpec = {
  principal: number;
  node: number;
  tools: number;
  notBefore: number | null;
  expiresAt: number | null;
  schedule: number | null;
  constraints: number | null;
  requiresApproval: boolean;
};

/** null `nullWeight` times out of `nullWeight + 1` */
const sometimes = <T>(arb: fc.Arbitrary<T>, nullWeight: number) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: nullWeight }, { arbitrary: arb, weight: 1 });

// Weighted so that allow, approval_required and every kind of deny all come up often (the first test below checks
// that): each optional restriction is absent most of the time, and half the grants sit on the first few nodes (roots
// and upper levels, above many others), else a random grant would rarely be on a random request's ancestor chain.
const grantSpec: fc.Arbitrary<GrantSpec> = fc.record({
  principal: fc.nat(PRINCIPALS.length - 1),
  node: fc.oneof({ arbitrary: fc.nat(1), weight: 2 }, { arbitrary: fc.nat(3), weight: 1 }, { arbitrary: fc.nat(), weight: 2 }),
  tools: fc.nat(TOOL_SETS.length - 1),
  notBefore: sometimes(fc.constantFrom(...INSTANTS), 3),
  expiresAt: sometimes(fc.constantFrom(...INSTANTS), 3),
  schedule: sometimes(fc.nat(SCHEDULES.length - 1), 5),
  constraints: sometimes(fc.nat(CONSTRAINTS.length - 1), 4),
  requiresApproval: fc.boolean(),
});

/** parents[i] for i >= 1 is a number that picks an earlier node, or (one time in 20) null for another root */
const treeSpec = fc.array(
  fc.oneof({ arbitrary: fc.nat(), weight: 19 }, { arbitrary: fc.constant(null), weight: 1 }),
  { maxLength: 39 },
);

const paramsArb = fc.record(
  {
    branch: fc.constantFrom("f1", "feature", "main", 7),
    amount: fc.constantFrom(5, 10, 10.5, 50, "5"),
    env: fc.constantFrom("dev", "qa", "prod"),
  },
  { requiredKeys: [] },
);

type World = { snapshot: AuthzSnapshot; nodeIds: string[]; grantSpecs: GrantSpec[] };

function build(parents: (number | null)[], specs: GrantSpec[], idPrefix = "g"): World {
  const nodeIds = ["n0", ...parents.map((_, i) => `n${i + 1}`)];
  const nodes = new Map<string, SnapshotNode>();
  nodes.set("n0", { id: "n0", parentId: null, type: "organization", name: "root0" });
  parents.forEach((p, i) => {
    const self = i + 1;
    nodes.set(nodeIds[self], { id: nodeIds[self], parentId: p === null ? null : nodeIds[p % self], type: "folder", name: `f${self}` });
  });
  const snapshot: AuthzSnapshot = {
    nodes,
    tools: new Map(TOOLS.map(([name, risk]) => [name, { id: name, name, risk }])),
    grantsByPrincipal: new Map(),
    labels: new Map(PRINCIPALS.map((p) => [principalKey(p), p.id])),
  };
  addGrants(snapshot, nodeIds, specs, idPrefix);
  return { snapshot, nodeIds, grantSpecs: specs };
}

function toGrant(spec: GrantSpec, nodeIds: string[], id: string): SnapshotGrant {
  const [via, tools] = TOOL_SETS[spec.tools];
  return {
    id,
    principal: PRINCIPALS[spec.principal],
    nodeId: nodeIds[spec.node % nodeIds.length],
    via,
    tools,
    constraints: spec.constraints === null ? {} : CONSTRAINTS[spec.constraints],
    notBefore: spec.notBefore,
    expiresAt: spec.expiresAt,
    schedule: spec.schedule === null ? null : SCHEDULES[spec.schedule],
    requiresApproval: spec.requiresApproval,
  };
}

/** a copy of the snapshot with more grants (the original is left as it was) */
function withGrants(snapshot: AuthzSnapshot, grants: SnapshotGrant[]): AuthzSnapshot {
  const byPrincipal = new Map([...snapshot.grantsByPrincipal].map(([k, v]) => [k, [...v]]));
  for (const g of grants) byPrincipal.set(principalKey(g.principal), [...(byPrincipal.get(principalKey(g.principal)) ?? []), g]);
  return { ...snapshot, grantsByPrincipal: byPrincipal };
}

function addGrants(snapshot: AuthzSnapshot, nodeIds: string[], specs: GrantSpec[], idPrefix: string) {
  const map = snapshot.grantsByPrincipal as Map<string, SnapshotGrant[]>;
  specs.forEach((spec, i) => {
    const g = toGrant(spec, nodeIds, `${idPrefix}${i}`);
    map.set(principalKey(g.principal), [...(map.get(principalKey(g.principal)) ?? []), g]);
  });
}

const worldArb = fc.tuple(treeSpec, fc.array(grantSpec, { minLength: 3, maxLength: 60 })).map(([parents, specs]) => build(parents, specs));

type Ask = { node: number; tool: number; principals: number[]; audience: number[]; params: Record<string, unknown>; now: number };
const askArb: fc.Arbitrary<Ask> = fc.record({
  node: fc.nat(),
  // mostly known tools, now and then an unknown one (index TOOLS.length)
  tool: fc.oneof({ arbitrary: fc.nat(TOOLS.length - 1), weight: 12 }, { arbitrary: fc.constant(TOOLS.length), weight: 1 }),
  // mostly one to three principals, now and then none
  principals: fc.oneof(
    { arbitrary: fc.array(fc.nat(PRINCIPALS.length - 1), { minLength: 1, maxLength: 3 }), weight: 12 },
    { arbitrary: fc.constant([] as number[]), weight: 1 },
  ),
  audience: fc.oneof(
    { arbitrary: fc.constant([] as number[]), weight: 4 },
    { arbitrary: fc.array(fc.nat(PRINCIPALS.length - 1), { minLength: 1, maxLength: 2 }), weight: 1 },
  ),
  params: paramsArb,
  now: fc.constantFrom(NOW, NOW - 1, NOW + 1, NOW + 60_000, NOW - 60_000),
});

function toRequest(world: World, ask: Ask, principals?: PrincipalRef[]): DecisionRequest {
  return {
    tool: ask.tool < TOOLS.length ? TOOLS[ask.tool][0] : "t.unknown",
    nodeId: world.nodeIds[ask.node % world.nodeIds.length],
    params: ask.params,
    principals: principals ?? ask.principals.map((i) => PRINCIPALS[i]),
    audience: ask.audience.map((i) => PRINCIPALS[i]),
  };
}

const RANK: Record<Decision["decision"], number> = { deny: 0, approval_required: 1, allow: 2 };
const allows = (d: Decision) => d.decision !== "deny";

describe("decide: properties", () => {
  it("the generators reach every outcome and every reason often enough to test it", () => {
    const decisions: Record<string, number> = {};
    const codes: Record<string, number> = {};
    for (const [world, ask] of fc.sample(fc.tuple(worldArb, askArb), { numRuns: 2000, seed: 1 })) {
      const result = decide(world.snapshot, toRequest(world, ask), new Date(ask.now));
      decisions[result.decision] = (decisions[result.decision] ?? 0) + 1;
      for (const r of result.reasons) codes[r.code] = (codes[r.code] ?? 0) + 1;
    }
    for (const d of ["allow", "deny", "approval_required"]) expect(decisions[d] ?? 0, d).toBeGreaterThan(80);
    for (const c of ["granted", "no_grant", "not_yet_valid", "expired", "outside_schedule", "constraint_failed", "approval_required", "unknown_tool", "no_principals"]) {
      expect(codes[c] ?? 0, c).toBeGreaterThan(20);
    }
  });

  it("(a) agrees with a brute-force oracle: allowed only when every principal holds a grant here or above", () => {
    fc.assert(
      fc.property(worldArb, askArb, (world, ask) => {
        const request = toRequest(world, ask);
        const now = new Date(ask.now);
        const result = decide(world.snapshot, request, now);
        expect(result.decision).toBe(bruteForceDecision(world.snapshot, request, now));
        if (allows(result)) {
          // the grant reported for each principal is its own, covers the tool, and sits on the node or above
          expect(result.grants.map((g) => principalKey(g.principal))).toEqual([...new Set(request.principals.map(principalKey))]);
          for (const chosen of result.grants) {
            const g = world.snapshot.grantsByPrincipal.get(principalKey(chosen.principal))?.find((x) => x.id === chosen.grantId);
            expect(g).toBeDefined();
            expect(g!.tools.has(request.tool)).toBe(true);
            expect(isSelfOrAncestor(world.snapshot, chosen.nodeId, request.nodeId)).toBe(true);
          }
        } else {
          expect(result.grants).toEqual([]);
          expect(result.reasons[0].code).not.toBe("granted");
        }
      }),
      RUNS,
    );
  });

  it("(b) grants on nodes that are not the request node or its ancestors change nothing", () => {
    fc.assert(
      fc.property(worldArb, askArb, fc.array(grantSpec, { minLength: 1, maxLength: 20 }), (world, ask, extra) => {
        const request = toRequest(world, ask);
        const now = new Date(ask.now);
        const before = decide(world.snapshot, request, now);
        const elsewhere = extra
          .map((spec, i) => toGrant(spec, world.nodeIds, `x${i}`))
          .filter((g) => !isSelfOrAncestor(world.snapshot, g.nodeId, request.nodeId));
        const after = decide(withGrants(world.snapshot, elsewhere), request, now);
        if (before.decision === "deny") expect(after.decision).toBe("deny");
        // stronger: not a word of the answer changes
        expect(after).toEqual(before);
      }),
      RUNS,
    );
  });

  it("(c) on behalf of is never wider than the agent or the user alone", () => {
    fc.assert(
      fc.property(worldArb, askArb, fc.constantFrom(...AGENTS), fc.constantFrom(...USERS), (world, ask, agent, user) => {
        const now = new Date(ask.now);
        const both = decide(world.snapshot, toRequest(world, ask, [agent, user]), now);
        const userAlone = decide(world.snapshot, toRequest(world, ask, [user]), now);
        const agentAlone = decide(world.snapshot, toRequest(world, ask, [agent]), now);
        if (allows(both)) {
          expect(allows(userAlone)).toBe(true);
          expect(allows(agentAlone)).toBe(true);
        }
        expect(RANK[both.decision]).toBeLessThanOrEqual(Math.min(RANK[userAlone.decision], RANK[agentAlone.decision]));
      }),
      RUNS,
    );
  });

  it("(d) adding a principal (or an audience member) never widens the decision", () => {
    fc.assert(
      fc.property(worldArb, askArb, fc.nat(PRINCIPALS.length - 1), fc.nat(3), (world, ask, added, at) => {
        const now = new Date(ask.now);
        const base = toRequest(world, ask);
        const before = decide(world.snapshot, base, now);
        const principals = [...base.principals];
        principals.splice(at % (principals.length + 1), 0, PRINCIPALS[added]);
        const more = decide(world.snapshot, { ...base, principals }, now);
        // from no principal at all (a deny) anything may follow; from one or more, only narrower
        if (base.principals.length > 0) expect(RANK[more.decision]).toBeLessThanOrEqual(RANK[before.decision]);
        const audience = decide(world.snapshot, { ...base, audience: [...(base.audience ?? []), PRINCIPALS[added]] }, now);
        expect(RANK[audience.decision]).toBeLessThanOrEqual(RANK[before.decision]);
      }),
      RUNS,
    );
  });

  it("(e) is deterministic: the same answer twice, and whatever order the grants were loaded in", () => {
    fc.assert(
      fc.property(worldArb, askArb, fc.integer(), (world, ask, seed) => {
        const request = toRequest(world, ask);
        const now = new Date(ask.now);
        const first = decide(world.snapshot, request, now);
        expect(decide(world.snapshot, request, now)).toEqual(first);
        // a shuffle of every principal's grant list (seeded, so a failure replays)
        let s = seed >>> 0;
        const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
        const shuffled: AuthzSnapshot = {
          ...world.snapshot,
          grantsByPrincipal: new Map(
            [...world.snapshot.grantsByPrincipal].map(([k, list]) => {
              const copy = [...list];
              for (let i = copy.length - 1; i > 0; i--) {
                const j = Math.floor(rand() * (i + 1));
                [copy[i], copy[j]] = [copy[j], copy[i]];
              }
              return [k, copy];
            }),
          ),
        };
        expect(decide(shuffled, request, now)).toEqual(first);
      }),
      RUNS,
    );
  });
});
