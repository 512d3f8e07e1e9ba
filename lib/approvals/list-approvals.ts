// The approvers' inbox and history: requests newest first, filtered by status, agent and tool, with keyset paging on
// (createdAt, id). Due requests are expired first, so a pending filter never lists one that can no longer be decided.
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import type { Db } from "@/lib/db/client";
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor } from "@/lib/db/time-cursor";
import { type ApprovalView, toApprovalViews } from "./approval-view";
import { expireDueApprovals } from "./expire-approvals";
import { type ListApprovalsQuery, listApprovalsQuery } from "./schemas";

export type ApprovalPage = { approvals: ApprovalView[]; nextCursor: string | null; /** pending requests in all */ pendingCount: number };

export async function listApprovals(db: Db, input: ListApprovalsQuery, now = new Date()): Promise<ApprovalPage> {
  const q = listApprovalsQuery.parse(input);
  await expireDueApprovals(db, now);
  const after = q.cursor ? decodeTimeCursor(q.cursor, "approval") : null;
  const [rows, pendingCount, loaded] = await Promise.all([
    db.approvalRequest.findMany({
      where: {
        ...(q.status ? { status: q.status } : {}),
        ...(q.agent ? { agentId: q.agent } : {}),
        ...(q.tool ? { toolName: q.tool } : {}),
        ...(after ? afterTimeCursor(after) : {}),
      },
      include: { votes: { orderBy: { createdAt: "asc" } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit + 1,
    }),
    db.approvalRequest.count({ where: { status: "pending", expiresAt: { gt: now } } }),
    currentAuthz(db, now.getTime()),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    approvals: await toApprovalViews(db, page, loaded, now),
    nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last) : null,
    pendingCount,
  };
}
