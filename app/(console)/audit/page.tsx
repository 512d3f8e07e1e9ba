import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/page-header";
import { LoadingState } from "@/components/ui/states";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { auditFilterSearch, auditFiltersFrom } from "@/lib/audit/filter-params";
import { AuditLog } from "./_components/audit-log";
import { VerifyChain } from "./_components/verify-chain";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireConsoleUser("audit");
  const params = await searchParams;
  const filters = auditFiltersFrom({ get: (name) => (typeof params[name] === "string" ? params[name] : null) });
  return (
    <>
      <PageHeader title="Audit log" description="Every change of state, decision and sign-in, newest first. Append-only and hash-chained." />
      <div className="mb-4">
        <VerifyChain />
      </div>
      <Suspense fallback={<LoadingState />}>
        {/* keyed by the filters: following a link to another filtered view starts the form afresh */}
        <AuditLog key={auditFilterSearch(filters)} />
      </Suspense>
    </>
  );
}
