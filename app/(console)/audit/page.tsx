import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { AuditLog } from "./_components/audit-log";
import { VerifyChain } from "./_components/verify-chain";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requireConsoleUser("audit");
  return (
    <>
      <PageHeader title="Audit log" description="Every change of state and every sign-in, newest first. Append-only and hash-chained." />
      <div className="mb-4">
        <VerifyChain />
      </div>
      <AuditLog />
    </>
  );
}
