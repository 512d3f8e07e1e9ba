// The approvers' inbox and history: requests newest first, filtered by status, agent and tool, with keyset paging on
// (createdAt, id). Due requests are expired first, so a pending filter never lists one that can no longer be decided.
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import type { Db } from "@/lib/db/client";
import { type ApprovalView, toApprovalViews } from "./approval-view";
import { expireDueApprovals } from "./expire-approvals";
import { type ListApprovalsQuery, listApprovalsQuery } from "./schemas";

export type ApprovalPage = { approvals: ApprovalView[]; nextCursor: string | null; /** pending requests in all */ pendingCount: number };

const encodeCursor = (createdAt: Date, id: string) => Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(iso ?? "");
  return id && !Number.isNaN(createdAt.getTime()) ? { createdAt, id } : null;
}

export async function listApprovals(db: Db, input: ListApprovalsQuery, now = new Date()): Promise<ApprovalPage> {
  const q = listApprovalsQuery.parse(input);
  await expireDueApprovals(db, now);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const [rows, pendingCount, loaded] = await Promise.all([
    db.approvalRequest.findMany({
      where: {
        ...(q.status ? { status: q.status } : {}),
        ...(q.agent ? { agentId: q.agent } : {}),
        ...(q.tool ? { toolName: q.tool } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
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
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    pendingCount,
  };
}
