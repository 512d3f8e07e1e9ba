import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ApprovalDetailView } from "@/lib/approvals/approval-view";
import { getApproval } from "@/lib/approvals/get-approval";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ApprovalDetail } from "../_components/approval-detail";

export const metadata: Metadata = { title: "Approval request" };

export default async function ApprovalPage({ params }: { params: Promise<{ approvalId: string }> }) {
  const me = await requireConsoleUser("approvals");
  const { approvalId } = await params;
  const approval = await getApproval(getDb(), approvalId, { kind: "console", user: { id: me.id, role: me.role } }).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  return <ApprovalDetail initial={approval as ApprovalDetailView} />;
}
