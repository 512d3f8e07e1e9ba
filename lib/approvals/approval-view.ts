// What the API and the console show of an approval request. Two shapes: the approvers' view (everything a person
// needs to decide: who, for whom, through which chain, what exactly, why, and what the grants allow) and the agent's
// view of its own request (its outcome and the approver's comment, no names of people).
import type { ApprovalRequest, ApprovalVote } from "@/generated/sqlite/client";
import { decide } from "@/lib/authz/decide";
import type { LoadedAuthz } from "@/lib/authz/load-snapshot";
import { nodePath } from "@/lib/authz/paths";
import { describeSchedule } from "@/lib/authz/schedule";
import type { ParamConstraint } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";
import { approvalUrl, isPastExpiry, parsePrincipals, votesNeeded } from "./call";
import { approverEligibility } from "./eligibility";

type Row = ApprovalRequest & { votes?: ApprovalVote[] };
type Person = { id: string; email: string };

export type ApprovalView = {
  id: string;
  /** pending | approved | denied | expired | cancelled; a pending request past its expiry reads as expired */
  status: string;
  source: string;
  url: string;
  agent: { id: string; name: string; owner: Person | null };
  /** the person the agent acts for, if any */
  user: Person | null;
  /** every principal of the call in order: the agent or the user it acts for, then each actor of the chain */
  principals: { type: string; id: string; label: string }[];
  tool: { name: string; risk: string | null };
  resource: { id: string; path: string };
  params: Record<string, unknown>;
  justification: string | null;
  reasoning_trace: string | null;
  task: unknown;
  policy: string;
  quorum: number;
  votes: { user: Person; vote: string; comment: string | null; created_at: string }[];
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: Person | null;
  comment: string | null;
  consumed_at: string | null;
  consumed_by_decision_id: string | null;
};

export type ApprovalDetailView = ApprovalView & {
  /** the call checked now, as if it were made: which grant lets each principal make it (or who lacks what) */
  check: { decision: string; reasons: { code: string; message: string }[] };
  grants: {
    id: string;
    principal: string;
    via: string;
    node: string;
    constraints: Record<string, ParamConstraint>;
    not_before: string | null;
    expires_at: string | null;
    schedule: string | null;
    requires_approval: boolean;
  }[];
  /** whether the viewer may decide it, and why not */
  viewer: { can_decide: boolean; reason: string | null };
};

export type AgentApprovalView = {
  id: string;
  status: string;
  tool: string;
  resource: { id: string; path: string };
  params: Record<string, unknown>;
  justification: string | null;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  /** the approver's comment: what the agent can tell its user about why */
  comment: string | null;
  /** set once a decision used the approval: it allows nothing again */
  consumed_at: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A pending request past its expiry is expired, whether or not the sweep has marked it yet. */
export function effectiveStatus(row: Pick<ApprovalRequest, "status" | "expiresAt">, now: Date): string {
  return row.status === "pending" && isPastExpiry(row, now) ? "expired" : row.status;
}

export function toAgentApprovalView(row: Row, loaded: LoadedAuthz, now: Date): AgentApprovalView {
  return {
    id: row.id,
    status: effectiveStatus(row, now),
    tool: row.toolName,
    resource: { id: row.nodeId, path: nodePath(loaded.snapshot, row.nodeId) },
    params: JSON.parse(row.params) as Record<string, unknown>,
    justification: row.justification,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    decided_at: iso(row.decidedAt),
    comment: row.comment,
    consumed_at: iso(row.consumedAt),
  };
}

/** The approvers' view of many rows: two queries (agents with owners; votes), names from the snapshot. */
export async function toApprovalViews(db: Db, rows: Row[], loaded: LoadedAuthz, now: Date): Promise<ApprovalView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [agents, votes] = await Promise.all([
    db.agent.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.agentId))] } }, select: { id: true, name: true, owner: { select: { id: true, email: true } } } }),
    rows.every((r) => r.votes) ? Promise.resolve(rows.flatMap((r) => r.votes!)) : db.approvalVote.findMany({ where: { approvalId: { in: ids } }, orderBy: { createdAt: "asc" } }),
  ]);
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const labels = loaded.snapshot.labels;
  const person = (id: string | null): Person | null => (id ? { id, email: labels.get(`user:${id}`) ?? id } : null);
  return rows.map((row) => {
    const agent = agentById.get(row.agentId);
    return {
      id: row.id,
      status: effectiveStatus(row, now),
      source: row.source,
      url: approvalUrl(row.id),
      agent: { id: row.agentId, name: agent?.name ?? row.agentId, owner: agent ? { id: agent.owner.id, email: agent.owner.email } : null },
      user: person(row.userId),
      principals: parsePrincipals(row.principals).map((p) => ({ ...p, label: labels.get(`${p.type}:${p.id}`) ?? p.id })),
      tool: { name: row.toolName, risk: loaded.snapshot.tools.get(row.toolName)?.risk ?? null },
      resource: { id: row.nodeId, path: nodePath(loaded.snapshot, row.nodeId) || row.nodeId },
      params: JSON.parse(row.params) as Record<string, unknown>,
      justification: row.justification,
      reasoning_trace: row.reasoningTrace,
      task: row.task ? (JSON.parse(row.task) as unknown) : null,
      policy: row.policy,
      quorum: votesNeeded(row),
      votes: votes
        .filter((v) => v.approvalId === row.id)
        .map((v) => ({ user: person(v.userId)!, vote: v.vote, comment: v.comment, created_at: v.createdAt.toISOString() })),
      created_at: row.createdAt.toISOString(),
      expires_at: row.expiresAt.toISOString(),
      decided_at: iso(row.decidedAt),
      decided_by: person(row.decidedById),
      comment: row.comment,
      consumed_at: iso(row.consumedAt),
      consumed_by_decision_id: row.consumedByDecisionId,
    };
  });
}

export async function toApprovalDetailView(
  db: Db,
  row: Row,
  loaded: LoadedAuthz,
  viewer: { id: string; role: string } | null,
  now: Date,
): Promise<ApprovalDetailView> {
  const [view] = await toApprovalViews(db, [row], loaded, now);
  const snapshot = loaded.snapshot;
  const principals = parsePrincipals(row.principals);
  const params = view!.params;
  const check = decide(snapshot, { tool: row.toolName, nodeId: row.nodeId, params, principals }, now);
  const grantById = new Map([...snapshot.grantsByPrincipal.values()].flat().map((g) => [g.id, g]));
  const grants = check.grants.flatMap(({ grantId }) => {
    const g = grantById.get(grantId);
    if (!g) return [];
    return [
      {
        id: g.id,
        principal: snapshot.labels.get(`${g.principal.type}:${g.principal.id}`) ?? g.principal.id,
        via: g.via,
        node: nodePath(snapshot, g.nodeId),
        constraints: g.constraints,
        not_before: g.notBefore === null ? null : new Date(g.notBefore).toISOString(),
        expires_at: g.expiresAt === null ? null : new Date(g.expiresAt).toISOString(),
        schedule: g.schedule ? describeSchedule(g.schedule) : null,
        requires_approval: g.requiresApproval,
      },
    ];
  });
  let can: { can_decide: boolean; reason: string | null } = { can_decide: false, reason: "Only people decide approvals" };
  if (viewer) {
    const voted = view!.votes.some((v) => v.user.id === viewer.id);
    const e = approverEligibility(snapshot, viewer, row, now);
    can =
      view!.status !== "pending"
        ? { can_decide: false, reason: `This request is ${view!.status}` }
        : voted
          ? { can_decide: false, reason: "You have voted on this request" }
          : e.ok
            ? { can_decide: true, reason: null }
            : { can_decide: false, reason: e.reason };
  }
  return { ...view!, check: { decision: check.decision, reasons: check.reasons.map((r) => ({ code: r.code, message: r.message })) }, grants, viewer: can };
}
