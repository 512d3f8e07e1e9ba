// One approval request, for an approver (the full view) or for the agent that asked (its own requests only: another
// agent's request answers the same 404 as a missing one). A pending request past its expiry is marked expired here.
// With `waitSeconds`, a pending request is watched until its status changes, it expires, the wait ends or the caller
// goes away (long poll): the agent learns the outcome without polling in a tight loop.
import type { ApprovalRequest } from "@/generated/sqlite/client";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type AgentApprovalView, type ApprovalDetailView, toAgentApprovalView, toApprovalDetailView } from "./approval-view";
import { isPastExpiry } from "./call";
import { expireApproval } from "./expire-approvals";

/** Who reads: the agent itself, or a console user (null for an admin API key, which decides nothing). */
export type ApprovalReader = { kind: "agent"; agentId: string } | { kind: "console"; user: { id: string; role: string } | null };

export const WAIT_POLL_MS = 250;

async function loadRow(db: Db, id: string, reader: ApprovalReader, now: Date): Promise<ApprovalRequest> {
  let row = await db.approvalRequest.findUnique({ where: { id } });
  if (!row || (reader.kind === "agent" && row.agentId !== reader.agentId)) throw notFound("Approval request");
  if (row.status === "pending" && isPastExpiry(row, now) && (await expireApproval(db, id, now))) {
    row = await db.approvalRequest.findUniqueOrThrow({ where: { id } });
  }
  return row;
}

export async function getApproval(db: Db, id: string, reader: { kind: "agent"; agentId: string }, now?: Date): Promise<AgentApprovalView>;
export async function getApproval(db: Db, id: string, reader: ApprovalReader, now?: Date): Promise<AgentApprovalView | ApprovalDetailView>;
export async function getApproval(db: Db, id: string, reader: ApprovalReader, now = new Date()): Promise<AgentApprovalView | ApprovalDetailView> {
  const row = await loadRow(db, id, reader, now);
  const loaded = await currentAuthz(db, now.getTime());
  if (reader.kind === "agent") return toAgentApprovalView(row, loaded, now);
  return toApprovalDetailView(db, row, loaded, reader.user, now);
}

/**
 * The request once it is no longer pending, or as it is after `waitSeconds`. Reads one small row every WAIT_POLL_MS
 * (a database poll works across instances, where an in-process notifier would not). Time here is the wall clock.
 */
export async function waitForApproval(
  db: Db,
  id: string,
  reader: ApprovalReader,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<AgentApprovalView | ApprovalDetailView> {
  const first = await loadRow(db, id, reader, new Date());
  const deadline = Date.now() + waitSeconds * 1000;
  if (first.status === "pending") {
    while (Date.now() < deadline && !signal?.aborted) {
      await sleep(Math.min(WAIT_POLL_MS, deadline - Date.now()), signal);
      const now = new Date();
      const row = await db.approvalRequest.findUnique({ where: { id }, select: { status: true, expiresAt: true } });
      if (!row || row.status !== "pending" || isPastExpiry(row, now)) break;
    }
  }
  return getApproval(db, id, reader, new Date());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener("abort", done, { once: true });
  });
}
