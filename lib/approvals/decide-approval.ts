// An approver approves or denies a pending request. Approving asks for the approver's password again (a stolen session
// alone cannot approve), throttled per user like sign-in.
//
// Policy: any eligible approver settles it (`any`), anyone but the person the agent acts for (`not_subject`), or
// `quorum` distinct approvers must approve; one deny from an eligible approver denies under every policy.
//
// Invariant: exactly one outcome is recorded, however many people click at once. Each vote first takes the request's
// row with a conditional update (still pending, not expired), so votes on one request run one at a time: a quorum
// counts every vote before it, and whoever comes after the settling vote is told who decided first.
import type { ApprovalRequest } from "@/generated/sqlite/client";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { attemptFailed, attemptSucceeded, beginAttempt, THROTTLE_POLICY } from "@/lib/auth/throttle";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { enqueueWebhookEvent } from "@/lib/webhooks/enqueue";
import type { ApprovalDetailView } from "./approval-view";
import { approvalUrl, isPastExpiry, votesNeeded } from "./call";
import { approverEligibility } from "./eligibility";
import { expireApproval } from "./expire-approvals";
import { getApproval } from "./get-approval";
import { type DecideApprovalInput, decideApprovalInput } from "./schemas";

type Labels = ReadonlyMap<string, string>;

/** The refusal for a request that is no longer pending: what happened, by whom, when. */
export function notPendingError(row: ApprovalRequest, labels: Labels, now: Date): AppError {
  const who = row.decidedById ? (labels.get(`user:${row.decidedById}`) ?? row.decidedById) : null;
  const when = row.decidedAt?.toISOString();
  const details = { status: row.status, decided_by: who, decided_at: when ?? null };
  if (row.status === "expired" || (row.status === "pending" && isPastExpiry(row, now))) {
    return new AppError("conflict", `This request expired at ${row.expiresAt.toISOString()} and can no longer be decided`, { ...details, status: "expired" });
  }
  if (row.status === "cancelled") return new AppError("conflict", `This request was cancelled${who ? ` by ${who}` : " by the agent"} at ${when}`, details);
  return new AppError("conflict", `This request was already ${row.status} by ${who ?? "another approver"} at ${when}`, details);
}

const reauthKeys = (userId: string) => [{ key: `reauth:${userId}`, threshold: THROTTLE_POLICY.accountThreshold }];

/**
 * Recent re-authentication: the approver's own password, now. Wrong answers count towards a per-user wait and are
 * audited (a stolen session trying passwords shows up in the trail).
 */
async function reauthenticate(db: Db, user: { id: string; passwordHash: string | null }, password: string | undefined, actor: Actor, approvalId: string, now: Date) {
  if (!password) throw new AppError("bad_request", "Enter your password to approve");
  const keys = reauthKeys(user.id);
  const wait = await beginAttempt(db, keys, now);
  if (wait > 0) throw new AppError("rate_limited", `Too many wrong passwords; try again in ${wait} s`, undefined, { "Retry-After": String(wait) });
  const ok = user.passwordHash ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!ok) {
    await attemptFailed(db, keys, now);
    await recordAuditEvent(
      db,
      { actor, action: "approval.vote", target: { type: "approval", id: approvalId }, result: "failure", details: { vote: "approve", reason: "wrong_password" } },
      now,
    );
    throw new AppError(
      "forbidden",
      user.passwordHash ? "The password is not correct" : "Your account has no password (single sign-on); set one to approve irreversible actions",
    );
  }
  await attemptSucceeded(db, keys);
}

export async function decideApproval(db: Db, id: string, input: DecideApprovalInput, actor: Actor, now = new Date()): Promise<ApprovalDetailView> {
  const body = decideApprovalInput.parse(input);
  if (actor.type !== "user") {
    throw new AppError("forbidden", "Approvals are decided by a person signed in to the console, not with an API key");
  }
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { id: true, email: true, role: true, passwordHash: true, disabledAt: true } });
  if (!user || user.disabledAt) throw new AppError("forbidden", "Your account is disabled");
  const row = await db.approvalRequest.findUnique({ where: { id } });
  if (!row) throw notFound("Approval request");
  const loaded = await currentAuthz(db, now.getTime());
  const labels = loaded.snapshot.labels;
  if (row.status === "pending" && isPastExpiry(row, now)) await expireApproval(db, id, now);
  if (row.status !== "pending" || isPastExpiry(row, now)) throw notPendingError(row, labels, now);

  const eligible = approverEligibility(loaded.snapshot, user, row, now);
  if (!eligible.ok) throw new AppError("forbidden", eligible.reason);
  if (body.decision === "approve") {
    // a suspended or killed agent's approval could never be used: say so rather than record a dead approval
    const agent = await db.agent.findUnique({ where: { id: row.agentId }, select: { status: true } });
    if (agent?.status !== "active") throw new AppError("conflict", `The agent is ${agent?.status ?? "gone"}; its requests can only be denied`);
  }
  if (body.decision === "approve") await reauthenticate(db, user, body.password, actor, id, now);

  await inTransaction(db, async (tx) => {
    // the row lock: a vote on this request waits here for the one before it to commit
    const { count } = await tx.approvalRequest.updateMany({ where: { id, status: "pending", expiresAt: { gt: now } }, data: { status: "pending" } });
    if (count === 0) throw notPendingError(await tx.approvalRequest.findUniqueOrThrow({ where: { id } }), labels, now);

    const previous = await tx.approvalVote.findUnique({ where: { approvalId_userId: { approvalId: id, userId: user.id } } });
    if (previous) throw new AppError("conflict", `You already voted to ${previous.vote} this request at ${previous.createdAt.toISOString()}`);
    await tx.approvalVote.create({ data: { approvalId: id, userId: user.id, vote: body.decision, comment: body.comment || null, createdAt: now } });
    const approvals = await tx.approvalVote.count({ where: { approvalId: id, vote: "approve" } });
    const needed = votesNeeded(row);
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "approval.vote",
        target: { type: "approval", id },
        details: { vote: body.decision, approvals, needed, grantId: eligible.grantId, ...(body.comment ? { comment: body.comment } : {}), reauthenticated: body.decision === "approve" },
      },
      now,
    );

    const outcome = body.decision === "deny" ? "denied" : approvals >= needed ? "approved" : null;
    if (outcome === null) return; // a quorum still waits for more approvers
    await tx.approvalRequest.updateMany({
      where: { id, status: "pending" },
      data: { status: outcome, decidedAt: now, decidedById: user.id, comment: body.comment || null },
    });
    await recordAuditEvent(
      tx,
      {
        actor,
        action: outcome === "approved" ? "approval.approve" : "approval.deny",
        target: { type: "approval", id },
        details: { tool: row.toolName, nodeId: row.nodeId, agentId: row.agentId, policy: row.policy, approvals, needed, ...(body.comment ? { comment: body.comment } : {}) },
      },
      now,
    );
    await enqueueWebhookEvent(
      tx,
      "approval.decided",
      {
        approval: {
          id,
          status: outcome,
          url: approvalUrl(id),
          agent_id: row.agentId,
          tool: row.toolName,
          decided_by: user.email,
          decided_at: now.toISOString(),
          comment: body.comment || null,
          expires_at: row.expiresAt.toISOString(),
        },
      },
      now,
    );
  });
  return getApproval(db, id, { kind: "console", user: { id: user.id, role: user.role } }, now) as Promise<ApprovalDetailView>;
}
