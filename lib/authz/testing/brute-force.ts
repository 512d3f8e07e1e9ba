// Test support only: an independent, deliberately naive answer to "allow, deny or approval_required?", to check
// decide() against. It shares nothing with decide's code but the data types: ancestry is a recursive walk up the
// parents, globs a recursive matcher, the wall clock read through toLocaleString. Slow and obviously right is the
// point; it does not explain itself (no reasons), it only answers.

import type { AuthzSnapshot, Decision, DecisionRequest, ParamConstraint, PrincipalRef, Schedule, SnapshotGrant } from "../types";

/** Whether `ancestorId` is `nodeId` or above it, following parent links (at most `limit` steps: corrupt trees end). */
export function isSelfOrAncestor(snapshot: AuthzSnapshot, ancestorId: string, nodeId: string, limit = snapshot.nodes.size): boolean {
  if (ancestorId === nodeId) return snapshot.nodes.has(nodeId);
  const parent = snapshot.nodes.get(nodeId)?.parentId ?? null;
  return parent !== null && limit > 0 && isSelfOrAncestor(snapshot, ancestorId, parent, limit - 1);
}

function globMatch(glob: string[], value: string[], i = 0, j = 0, memo = new Map<number, boolean>()): boolean {
  const key = i * (value.length + 1) + j;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  if (i === glob.length) result = j === value.length;
  else if (glob[i] === "*") result = globMatch(glob, value, i + 1, j, memo) || (j < value.length && globMatch(glob, value, i, j + 1, memo));
  else result = j < value.length && (glob[i] === "?" || glob[i] === value[j]) && globMatch(glob, value, i + 1, j + 1, memo);
  memo.set(key, result);
  return result;
}

function holds(c: ParamConstraint, value: unknown): boolean {
  if (value === undefined) return false;
  if ("equals" in c) return value === c.equals;
  if ("oneOf" in c) return c.oneOf.some((x) => x === value);
  if ("glob" in c) return typeof value === "string" && globMatch([...c.glob], [...value]);
  return typeof value === "number" && Number.isFinite(value) && value <= c.max;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function inWindow(s: Schedule, nowMs: number): boolean {
  // e.g. "Tue 14:05"
  const text = new Date(nowMs).toLocaleString("en-US", {
    timeZone: s.timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const [day, hhmm] = text.split(" ");
  const [h, m] = hhmm.split(":").map(Number);
  const minute = (h % 24) * 60 + m;
  const toMinutes = (t: string) => Number(t.split(":")[0]) * 60 + Number(t.split(":")[1]);
  return s.days.includes(DAYS.indexOf(day)) && toMinutes(s.start) <= minute && minute < toMinutes(s.end);
}

/** the principal's grants that apply to this request now */
export function applicableGrants(snapshot: AuthzSnapshot, request: DecisionRequest, p: PrincipalRef, nowMs: number): SnapshotGrant[] {
  const all = snapshot.grantsByPrincipal.get(`${p.type}:${p.id}`) ?? [];
  return all.filter(
    (g) =>
      isSelfOrAncestor(snapshot, g.nodeId, request.nodeId) &&
      g.tools.has(request.tool) &&
      (g.notBefore === null || g.notBefore <= nowMs) &&
      (g.expiresAt === null || nowMs < g.expiresAt) &&
      (g.schedule === null || inWindow(g.schedule, nowMs)) &&
      Object.entries(g.constraints).every(([name, c]) => holds(c, Object.hasOwn(request.params, name) ? request.params[name] : undefined)),
  );
}

/** the grants by which an audience member reads the node now: unconstrained, on it or above, of a tool of risk read */
export function readGrants(snapshot: AuthzSnapshot, request: DecisionRequest, p: PrincipalRef, nowMs: number): SnapshotGrant[] {
  const all = snapshot.grantsByPrincipal.get(`${p.type}:${p.id}`) ?? [];
  return all.filter(
    (g) =>
      isSelfOrAncestor(snapshot, g.nodeId, request.nodeId) &&
      [...g.tools].some((t) => snapshot.tools.get(t)?.risk === "read") &&
      (g.notBefore === null || g.notBefore <= nowMs) &&
      (g.expiresAt === null || nowMs < g.expiresAt) &&
      (g.schedule === null || inWindow(g.schedule, nowMs)) &&
      Object.keys(g.constraints).length === 0,
  );
}

export function bruteForceDecision(snapshot: AuthzSnapshot, request: DecisionRequest, now: Date): Decision["decision"] {
  const tool = snapshot.tools.get(request.tool);
  if (!tool || !snapshot.nodes.has(request.nodeId) || request.principals.length === 0) return "deny";
  const nowMs = now.getTime();
  const perPrincipal = request.principals.map((p) => applicableGrants(snapshot, request, p, nowMs));
  if (perPrincipal.some((gs) => gs.length === 0)) return "deny";
  if ((request.audience ?? []).some((p) => [...applicableGrants(snapshot, request, p, nowMs), ...readGrants(snapshot, request, p, nowMs)].length === 0)) return "deny";
  const needsApproval = tool.risk === "irreversible" || perPrincipal.some((gs) => gs.every((g) => g.requiresApproval));
  return needsApproval ? "approval_required" : "allow";
}
