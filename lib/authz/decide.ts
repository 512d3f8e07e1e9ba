// The decision core: may these principals call this tool on this node, with these parameters, now?
//
// A pure function of a loaded snapshot, a request and `now`: no I/O, no clock, no state kept between calls. It runs
// for every tool call, so it walks the node's ancestor chain once and scans only the grants of the principals asked
// about (a few levels x a few principals x their grants).
//
// Invariants, each enforced below where it says so:
// - A grant applies to its node and the nodes below it, never to a sibling or an ancestor (PRODUCT property 4): only
//   grants whose node is on the request node's ancestor chain are candidates.
// - The effective permission is the intersection over every principal (agent, user, every actor of a delegation
//   chain): one principal lacking is a deny (property 3; and a chain is never wider than any of its hops).
// - A grant outside its validity window, outside its schedule, or whose constraints fail grants nothing (property 5).
// - Every audience member must be allowed to read the node (authorization at output time): by a grant of the tool
//   itself, or by an unconstrained grant of any tool whose risk is `read`.
// - Output depends only on the input: grants are chosen by an order that ties on grant id, never on array order.

import { checkConstraints } from "./constraints";
import { ancestors, pathsAlong } from "./paths";
import { describeSchedule, inSchedule } from "./schedule";
import {
  type AuthzSnapshot,
  type Decision,
  type DecisionRequest,
  type PrincipalRef,
  principalKey,
  type Reason,
  type ReasonCode,
  type SnapshotGrant,
} from "./types";

/** One request's view of the tree: the ancestor chain, where each id sits on it, and the path of each. */
type Chain = {
  /** node id -> distance from the request node (0 = the node itself) */
  depthOf: Map<string, number>;
  /** paths[d] is the path of the ancestor at distance d */
  paths: string[];
};

/** Why a candidate grant did not apply, from least to most specific: the later a check fails, the closer it came. */
const FAILURE_RANK = { not_yet_valid: 0, expired: 0, outside_schedule: 1, constraint_failed: 2 } as const;
type FailureCode = keyof typeof FAILURE_RANK;

/** `why` is the constraint's own explanation; the other codes are explained from the grant, only when reported */
type Failure = { grant: SnapshotGrant; depth: number; code: FailureCode; why: string };

type Outcome =
  | { ok: true; grant: SnapshotGrant; depth: number }
  | { ok: false; failure: Failure | null /* null: no candidate grant at all */ };

/**
 * The decision for one call. Reasons come in this order, so that the first one always says why the decision is what
 * it is: deny reasons (principals in request order, then the audience), then approval_required reasons (the tool's
 * risk, then each principal whose chosen grant needs approval), then one "granted" reason per principal and per
 * audience member that was allowed. `grants` lists the grant chosen for each principal (not the audience: they do
 * not act, they only see), and is empty on deny. A principal named twice counts once.
 */
export function decide(snapshot: AuthzSnapshot, request: DecisionRequest, now: Date): Decision {
  const tool = snapshot.tools.get(request.tool);
  if (tool === undefined) {
    return denyRequest("unknown_tool", `unknown tool ${JSON.stringify(request.tool)}`);
  }
  if (!snapshot.nodes.has(request.nodeId)) {
    return denyRequest("unknown_node", `unknown resource ${JSON.stringify(request.nodeId)}`);
  }
  const principals = unique(request.principals);
  if (principals.length === 0) {
    return denyRequest("no_principals", "the request names no principal");
  }

  const nowMs = now.getTime();
  // An Invalid Date would make every window comparison false, so every expired grant would apply: refuse it loudly.
  if (!Number.isFinite(nowMs)) throw new TypeError("decide: now is not a valid date");
  const chainIds = ancestors(snapshot, request.nodeId);
  const chain: Chain = { depthOf: new Map(chainIds.map((id, d) => [id, d])), paths: pathsAlong(snapshot, chainIds) };

  const denials: Reason[] = [];
  const grantedReasons: Reason[] = [];
  const chosen: Decision["grants"] = [];
  const approvals: Reason[] = [];

  for (const p of principals) {
    const outcome = evaluate(snapshot, chain, p, request.tool, request.params, nowMs, true);
    const who = describe(snapshot, p, "principal");
    if (!outcome.ok) {
      denials.push(denial(who, outcome.failure, request.tool, chain));
      continue;
    }
    const { grant, depth } = outcome;
    grantedReasons.push(granted(who, grant, depth, request.tool, chain));
    chosen.push({ principal: { type: p.type, id: p.id }, grantId: grant.id, nodeId: grant.nodeId });
    if (grant.requiresApproval) {
      approvals.push({
        principal: who.principal,
        role: "principal",
        code: "approval_required",
        message: `${who.name}'s grant (${grant.via} granted on ${chain.paths[depth]}) requires a person's approval for each call`,
        grantId: grant.id,
        grantNodeId: grant.nodeId,
      });
    }
  }

  // The audience only sees the output: each member must be allowed to read the node, and approval is not theirs
  // to need. Holding the tool itself answers that; otherwise any unconstrained grant of a read tool does.
  for (const p of unique(request.audience ?? [])) {
    const who = describe(snapshot, p, "audience");
    const use = evaluate(snapshot, chain, p, request.tool, request.params, nowMs, false);
    if (use.ok) {
      grantedReasons.push(granted(who, use.grant, use.depth, request.tool, chain));
      continue;
    }
    const read = evaluate(snapshot, chain, p, READ, null, nowMs, false);
    if (read.ok) grantedReasons.push(mayRead(who, read.grant, read.depth, chain));
    // the failure that came closest: a read grant's, else the tool grant's, else neither exists
    else if (read.failure === null && use.failure !== null) denials.push(denial(who, use.failure, request.tool, chain));
    else denials.push(denial(who, read.failure, request.tool, chain, true));
  }

  if (denials.length > 0) {
    // deny reasons first; the grants others did hold follow, so the explanation shows the whole intersection
    return { decision: "deny", reasons: [...denials, ...grantedReasons], grants: [] };
  }
  if (tool.risk === "irreversible") {
    approvals.unshift({
      code: "approval_required",
      message: `${tool.name} is irreversible: a person must approve each call`,
    });
  }
  if (approvals.length > 0) {
    return { decision: "approval_required", reasons: [...approvals, ...grantedReasons], grants: chosen };
  }
  return { decision: "allow", reasons: grantedReasons, grants: chosen };
}

/** evaluate()'s tool when the question is whether the principal may read the node at all */
const READ = null;

/**
 * The grant that lets `p` use the tool on the node now, or the most telling reason why none does.
 *
 * Candidates are the principal's grants on the chain that cover the tool; with READ, those that cover any tool of
 * risk `read`, and `params` null: such a grant must have no constraints (a constrained one reads only some calls).
 * Among those that apply, the choice is, in order: one that needs no approval (when `preferNoApproval`), the one
 * nearest the node, the smallest id. Among those that do not apply, the reported failure is the one that came closest
 * (constraints > schedule > validity), then nearest, then smallest id.
 */
function evaluate(
  snapshot: AuthzSnapshot,
  chain: Chain,
  p: PrincipalRef,
  tool: string | typeof READ,
  params: Record<string, unknown> | null,
  nowMs: number,
  preferNoApproval: boolean,
): Outcome {
  const grants = snapshot.grantsByPrincipal.get(principalKey(p));
  if (grants === undefined) return { ok: false, failure: null };

  const depthOf = chain.depthOf;
  let best: SnapshotGrant | null = null;
  let bestDepth = 0;
  let failure: Failure | null = null;

  for (const g of grants) {
    // property 4: a grant counts only when its node is the request node or one of its ancestors
    const depth = depthOf.get(g.nodeId);
    if (depth === undefined || !(tool === READ ? readsWith(snapshot, g) : g.tools.has(tool))) continue;
    // skip the checks when this grant could not be preferred to the one already found anyway
    if (best !== null && !better(g, depth, best, bestDepth, preferNoApproval)) continue;

    let code: FailureCode | null = null;
    let why = "";
    if (g.notBefore !== null && nowMs < g.notBefore) {
      code = "not_yet_valid";
    } else if (g.expiresAt !== null && nowMs >= g.expiresAt) {
      // expiresAt is exclusive: at that very millisecond the grant is over
      code = "expired";
    } else if (g.schedule !== null && !inSchedule(g.schedule, nowMs)) {
      code = "outside_schedule";
    } else if (params === null) {
      if (hasConstraints(g)) code = "constraint_failed";
    } else {
      const c = checkConstraints(g.constraints, params);
      if (!c.ok) {
        code = "constraint_failed";
        why = c.message;
      }
    }

    if (code === null) {
      best = g;
      bestDepth = depth;
    } else if (best === null && (failure === null || moreTelling(code, g, depth, failure))) {
      failure = { grant: g, depth, code, why };
    }
  }
  return best !== null ? { ok: true, grant: best, depth: bestDepth } : { ok: false, failure };
}

/** Whether the grant covers a tool of risk `read` (risks can change, so it is asked of the snapshot each time). */
function readsWith(snapshot: AuthzSnapshot, g: SnapshotGrant): boolean {
  for (const name of g.tools) if (snapshot.tools.get(name)?.risk === "read") return true;
  return false;
}

function hasConstraints(g: SnapshotGrant): boolean {
  for (const _ in g.constraints) return true;
  return false;
}

/** Whether applicable grant `a` (at distance `da`) is preferred to applicable grant `b`. */
function better(a: SnapshotGrant, da: number, b: SnapshotGrant, db: number, preferNoApproval: boolean): boolean {
  if (preferNoApproval && a.requiresApproval !== b.requiresApproval) return !a.requiresApproval;
  if (da !== db) return da < db;
  return a.id < b.id;
}

function moreTelling(code: FailureCode, g: SnapshotGrant, depth: number, f: Failure): boolean {
  const rank = FAILURE_RANK[code];
  const fRank = FAILURE_RANK[f.code];
  if (rank !== fRank) return rank > fRank;
  if (depth !== f.depth) return depth < f.depth;
  return g.id < f.grant.id;
}

type Who = { principal: NonNullable<Reason["principal"]>; role: "principal" | "audience"; name: string };

function describe(snapshot: AuthzSnapshot, p: PrincipalRef, role: Who["role"]): Who {
  const label = snapshot.labels.get(principalKey(p)) ?? p.id;
  return { principal: { type: p.type, id: p.id, label }, role, name: `${p.type} ${label}` };
}

function granted(who: Who, grant: SnapshotGrant, depth: number, tool: string, chain: Chain): Reason {
  return {
    principal: who.principal,
    role: who.role,
    code: "granted",
    message: `${who.name} may use ${tool} on ${chain.paths[0]} via ${grant.via} granted on ${chain.paths[depth]}`,
    grantId: grant.id,
    grantNodeId: grant.nodeId,
  };
}

function mayRead(who: Who, grant: SnapshotGrant, depth: number, chain: Chain): Reason {
  return {
    principal: who.principal,
    role: who.role,
    code: "granted",
    message: `${who.name} may read ${chain.paths[0]} via ${grant.via} granted on ${chain.paths[depth]}`,
    grantId: grant.id,
    grantNodeId: grant.nodeId,
  };
}

/** Why `who` may not use the tool or, with `read`, may neither use it nor read the node. */
function denial(who: Who, failure: Failure | null, tool: string, chain: Chain, read = false): Reason {
  if (failure === null) {
    return {
      principal: who.principal,
      role: who.role,
      code: "no_grant",
      message: `${who.name} has no grant for ${tool} on ${chain.paths[0]}${read ? ", nor any to read it" : ""}`,
    };
  }
  const { grant, depth, code } = failure;
  const detail =
    code === "not_yet_valid"
      ? `that is not valid before ${iso(grant.notBefore!)}`
      : code === "expired"
        ? `that expired at ${iso(grant.expiresAt!)}`
        : code === "outside_schedule"
          ? `that applies only ${describeSchedule(grant.schedule!)}`
          : read
            ? "limited by parameter constraints, so it does not read the whole node"
            : `whose constraint failed: ${failure.why}`;
  const what = read ? `to read ${chain.paths[0]}` : `for ${tool} on ${chain.paths[0]}`;
  return {
    principal: who.principal,
    role: who.role,
    code,
    message: `${who.name} has a grant ${what} (${grant.via} granted on ${chain.paths[depth]}) ${detail}`,
    grantId: grant.id,
    grantNodeId: grant.nodeId,
  };
}

function denyRequest(code: ReasonCode, message: string): Decision {
  return { decision: "deny", reasons: [{ code, message }], grants: [] };
}

/** The principals in their first-seen order, each once: naming a principal twice asks nothing more. */
function unique(list: readonly PrincipalRef[]): PrincipalRef[] {
  if (list.length < 2) return list.slice();
  const seen = new Set<string>();
  const out: PrincipalRef[] = [];
  for (const p of list) {
    const key = principalKey(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/** An instant as reasons show it; a bound outside Date's range (a corrupt row) must not throw while explaining. */
const iso = (ms: number) => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`);
