import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { listApprovals } from "@/lib/approvals/list-approvals";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { ApprovalsInbox } from "./_components/approvals-inbox";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requireConsoleUser("approvals");
  const initialPending = await listApprovals(getDb(), { status: "pending" });
  return (
    <>
      <PageHeader title="Approvals" description="Agents' irreversible calls wait here for a person. Each approval allows one exact call, once." />
      <ApprovalsInbox initialPending={initialPending} />
    </>
  );
}
