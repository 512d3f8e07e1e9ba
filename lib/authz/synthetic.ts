// A synthetic world for tests and benchmarks: a resource tree of N nodes and D levels, principals with grants, and
// requests to ask about it. Deterministic by seed: the same options build the same world, so a benchmark run, a
// casbin comparison and a failing test can all be replayed exactly.
//
// Shape: one root (an organization); each level about b times wider than the one above, b chosen so that the levels
// add up to `nodes`; each node's parent is drawn at random from the level above. Grants mostly sit low in the tree
// (a grant on a branch is more common than one on a workspace), never on the root (it would allow everything).
// Built with plain loops and shared Sets so that 100,000 nodes take milliseconds and 1,000,000 grants stay compact.

import { parseSchedule } from "./schedule";
import type {
  AuthzSnapshot,
  DecisionRequest,
  ParamConstraint,
  PrincipalRef,
  Risk,
  Schedule,
  SnapshotGrant,
  SnapshotNode,
  SnapshotTool,
} from "./types";
import { principalKey } from "./types";

export type SyntheticOptions = {
  nodes: number;
  /** levels of the tree, the root counting as one: depth 6 makes ancestor chains of at most 6 nodes */
  depth: number;
  /** grants in all */
  grants: number;
  seed: number;
  /** grants per principal (default 1,000): the number of principals is grants / grantsPerPrincipal, rounded up */
  grantsPerPrincipal?: number;
};

export type SyntheticWorld = {
  snapshot: AuthzSnapshot;
  /** the moment the world's time windows are drawn around: ask at this `now` for a mix of valid and expired grants */
  now: Date;
  /** principals in order: even indexes are agents, odd ones users */
  principals: PrincipalRef[];
  /** node ids by level, the root's level first */
  levels: string[][];
  /** `n` requests, the same ones for the same world and n: a mix of allowed and denied, plain and on-behalf-of */
  sampleRequests(n: number): DecisionRequest[];
};

/** Tuesday 3 March 2026, 12:00 UTC */
export const SYNTHETIC_NOW_MS = Date.UTC(2026, 2, 3, 12, 0, 0);

const TYPES = ["organization", "workspace", "project", "repository", "folder", "branch"];

const TOOLS: [string, Risk][] = [
  ["repo.read", "read"],
  ["issues.read", "read"],
  ["docs.read", "read"],
  ["logs.read", "read"],
  ["secrets.read", "read"],
  ["github.push", "write"],
  ["issues.write", "write"],
  ["docs.write", "write"],
  ["deploy.run", "write"],
  ["payments.refund", "write"],
  ["db.drop", "irreversible"],
  ["payments.payout", "irreversible"],
];

const READS = TOOLS.filter(([, r]) => r === "read").map(([n]) => n);
const ROLES: [string, ReadonlySet<string>][] = [
  ["Viewer", new Set(READS)],
  ["Editor", new Set([...READS, "github.push", "issues.write", "docs.write"])],
  ["Deployer", new Set(["repo.read", "logs.read", "deploy.run"])],
  ["Owner", new Set(TOOLS.map(([n]) => n))],
];
// one Set per single-tool grant target, shared by every grant of that tool
const SINGLE: [string, ReadonlySet<string>][] = TOOLS.map(([n]) => [n, new Set([n])]);

const SCHEDULES: Schedule[] = [
  parseSchedule({ days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", timeZone: "UTC" }),
  parseSchedule({ days: [2], start: "14:00", end: "16:00", timeZone: "UTC" }),
  parseSchedule({ days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", timeZone: "America/New_York" }),
];

const CONSTRAINTS: Record<string, ParamConstraint>[] = [
  { branch: { glob: "feature-*" } },
  { amount: { max: 100 } },
  { env: { oneOf: ["dev", "staging"] } },
  { branch: { equals: "main" }, amount: { max: 50 } },
];
const NO_CONSTRAINTS: Record<string, ParamConstraint> = Object.freeze({}) as Record<string, ParamConstraint>;

const HOUR_MS = 3_600_000;

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; the same seed gives the same stream on every platform */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Level sizes: 1 root, then each level about `b` times the last, adding up to exactly `nodes`. */
function levelSizes(nodes: number, depth: number): number[] {
  const levels = Math.max(1, Math.min(depth, nodes));
  if (levels === 1) return [nodes];
  const total = (b: number) => {
    let sum = 0;
    for (let l = 0; l < levels; l++) sum += b ** l;
    return sum;
  };
  let lo = 1;
  let hi = nodes;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) < nodes) lo = mid;
    else hi = mid;
  }
  const sizes = [1];
  let used = 1;
  for (let l = 1; l < levels - 1; l++) {
    // every level keeps at least one node, and leaves room for at least one on each level below
    const size = Math.max(1, Math.min(Math.round(lo ** l), nodes - used - (levels - 1 - l)));
    sizes.push(size);
    used += size;
  }
  sizes.push(nodes - used);
  return sizes;
}

export function syntheticWorld(options: SyntheticOptions): SyntheticWorld {
  const { nodes: nodeCount, depth, grants: grantCount, seed } = options;
  if (!(nodeCount >= 1) || !(depth >= 1)) throw new RangeError("syntheticWorld: nodes and depth must be at least 1");
  const perPrincipal = Math.max(1, options.grantsPerPrincipal ?? 1000);
  const random = rng(seed);
  const int = (n: number) => Math.floor(random() * n);

  // --- the tree
  const sizes = levelSizes(nodeCount, depth);
  const levels: string[][] = [];
  const nodes = new Map<string, SnapshotNode>();
  const parentIndex = new Int32Array(nodeCount).fill(-1);
  const ids = new Array<string>(nodeCount);
  let next = 0;
  let levelStart = 0;
  let prevStart = 0;
  for (let l = 0; l < sizes.length; l++) {
    const level: string[] = [];
    const type = TYPES[l % TYPES.length];
    for (let j = 0; j < sizes[l]; j++) {
      const i = next++;
      const id = `res_${i}`;
      const parent = l === 0 ? -1 : prevStart + int(sizes[l - 1]);
      parentIndex[i] = parent;
      ids[i] = id;
      nodes.set(id, { id, parentId: parent === -1 ? null : ids[parent], type, name: `${type}-${j}` });
      level.push(id);
    }
    levels.push(level);
    prevStart = levelStart;
    levelStart = next;
  }

  // --- tools
  const tools = new Map<string, SnapshotTool>(
    TOOLS.map(([name, risk], i) => [name, { id: `tool_${i}`, name, risk }]),
  );

  // --- principals and grants
  const principalCount = Math.max(1, Math.ceil(grantCount / perPrincipal));
  const principals: PrincipalRef[] = [];
  const labels = new Map<string, string>();
  for (let k = 0; k < principalCount; k++) {
    const p: PrincipalRef = k % 2 === 0 ? { type: "agent", id: `agt_${k}` } : { type: "user", id: `usr_${k}` };
    principals.push(p);
    labels.set(principalKey(p), p.type === "agent" ? `agent-${k}` : `user-${k}@synthetic.test`);
  }
  // grants sit on level l >= 1 with weight 2^l: mostly low in the tree, never on the root
  const levelWeights = sizes.map((_, l) => (l === 0 && sizes.length > 1 ? 0 : 2 ** l));
  const weightSum = levelWeights.reduce((a, b) => a + b, 0);
  const pickLevel = () => {
    let r = random() * weightSum;
    for (let l = 0; l < levelWeights.length; l++) {
      r -= levelWeights[l];
      if (r < 0) return l;
    }
    return levelWeights.length - 1;
  };
  const levelStarts: number[] = [];
  for (let l = 0, start = 0; l < sizes.length; start += sizes[l], l++) levelStarts.push(start);

  const grantsByPrincipal = new Map<string, SnapshotGrant[]>();
  let made = 0;
  for (let k = 0; k < principalCount; k++) {
    const principal = principals[k];
    const count = Math.min(perPrincipal, grantCount - made);
    const list: SnapshotGrant[] = new Array(Math.max(0, count));
    for (let g = 0; g < count; g++) {
      const l = pickLevel();
      const nodeIndex = levelStarts[l] + int(sizes[l]);
      // 60% roles, 40% single tools
      const isRole = random() < 0.6;
      const [name, toolSet] = isRole ? ROLES[int(ROLES.length)] : SINGLE[int(SINGLE.length)];
      const via = isRole ? `role ${name}` : `tool ${name}`;
      const windowRoll = random();
      list[g] = {
        id: `grt_${k}_${g}`,
        principal,
        nodeId: ids[nodeIndex],
        via,
        tools: toolSet,
        constraints: random() < 0.1 ? CONSTRAINTS[int(CONSTRAINTS.length)] : NO_CONSTRAINTS,
        // 5% not yet valid, 10% with an expiry (half of them past), the rest open
        notBefore: windowRoll < 0.05 ? SYNTHETIC_NOW_MS + (1 + int(48)) * HOUR_MS : null,
        expiresAt: windowRoll >= 0.05 && windowRoll < 0.15 ? SYNTHETIC_NOW_MS + (int(96) - 48) * HOUR_MS : null,
        schedule: random() < 0.05 ? SCHEDULES[int(SCHEDULES.length)] : null,
        requiresApproval: random() < 0.05,
      };
      made++;
    }
    grantsByPrincipal.set(principalKey(principal), list);
  }

  const snapshot: AuthzSnapshot = { nodes, tools, grantsByPrincipal, labels };

  // --- requests: children lists (CSR arrays) are only built when requests are first asked for
  let childStart: Int32Array | null = null;
  let childList: Int32Array | null = null;
  const indexOf = (id: string) => Number(id.slice(4));
  const buildChildren = () => {
    const counts = new Int32Array(nodeCount + 1);
    for (let i = 0; i < nodeCount; i++) if (parentIndex[i] >= 0) counts[parentIndex[i] + 1]++;
    for (let i = 0; i < nodeCount; i++) counts[i + 1] += counts[i];
    const fill = counts.slice(0, nodeCount);
    const list = new Int32Array(Math.max(0, nodeCount - 1));
    for (let i = 0; i < nodeCount; i++) if (parentIndex[i] >= 0) list[fill[parentIndex[i]]++] = i;
    childStart = counts;
    childList = list;
  };
  const toolNames = TOOLS.map(([n]) => n);

  function sampleRequests(n: number): DecisionRequest[] {
    if (childStart === null) buildChildren();
    const cs = childStart!;
    const cl = childList!;
    const r = rng(seed ^ 0x5eed5eed);
    const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
    const agents = principals.filter((p) => p.type === "agent");
    const users = principals.filter((p) => p.type === "user");
    const out: DecisionRequest[] = [];
    for (let q = 0; q < n; q++) {
      const agent = pick(agents);
      let nodeIndex: number;
      let tool: string;
      const own = grantsByPrincipal.get(principalKey(agent)) ?? [];
      if (own.length > 0 && r() < 0.6) {
        // aimed: somewhere under one of the agent's grants, usually with a tool it covers (likely allowed)
        const g = pick(own);
        nodeIndex = indexOf(g.nodeId);
        for (let steps = Math.floor(r() * depth); steps > 0; steps--) {
          const from = cs[nodeIndex];
          const to = cs[nodeIndex + 1];
          if (to === from) break;
          nodeIndex = cl[from + Math.floor(r() * (to - from))];
        }
        tool = r() < 0.8 ? pick([...g.tools]) : pick(toolNames);
      } else {
        // anywhere: mostly denied
        nodeIndex = Math.floor(r() * nodeCount);
        tool = pick(toolNames);
      }
      const roll = r();
      const chain: PrincipalRef[] =
        users.length === 0 || roll < 0.5
          ? [agent]
          : roll < 0.9 || agents.length < 2
            ? [agent, pick(users)]
            : [agent, pick(agents), pick(users)];
      const request: DecisionRequest = {
        tool,
        nodeId: ids[nodeIndex],
        params: {
          branch: r() < 0.5 ? `feature-${Math.floor(r() * 100)}` : "main",
          amount: Math.floor(r() * 200),
          env: pick(["dev", "staging", "prod"]),
        },
        principals: chain,
      };
      if (users.length > 0 && r() < 0.05) request.audience = [pick(users)];
      out.push(request);
    }
    return out;
  }

  return { snapshot, now: new Date(SYNTHETIC_NOW_MS), principals, levels, sampleRequests };
}
