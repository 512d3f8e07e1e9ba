"use client";
// The inbox (pending requests, re-read every few seconds so new ones appear without a reload) and the history of
// decided requests with filters. Each row opens the request's page, where it is decided.
import { type InfiniteData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useDebounced } from "@/components/use-debounced";
import { formatDateTime } from "@/components/format";
import { type ApprovalFilters, queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { ApprovalPage } from "@/lib/approvals/list-approvals";
import { ApprovalStatusBadge, RiskBadge } from "./status-badge";
import { TimeLeft } from "./time-left";

const REFRESH_MS = 3_000;

export function ApprovalsInbox({ initialPending }: { initialPending: ApprovalPage }) {
  const [tab, setTab] = useState<"pending" | "history">("pending");
  return (
    <div className="space-y-4">
      <div role="tablist" aria-label="Approvals" className="flex gap-1 border-b border-slate-200">
        {(["pending", "history"] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${tab === t ? "border-brand text-brand" : "border-transparent text-slate-500 hover:text-slate-800"}`}
          >
            {t === "pending" ? "Waiting for a decision" : "History"}
          </button>
        ))}
      </div>
      {tab === "pending" ? <ApprovalList filters={{ status: "pending" }} initial={initialPending} live /> : <History />}
    </div>
  );
}

function History() {
  const [status, setStatus] = useState("");
  const [agent, setAgent] = useState("");
  const [tool, setTool] = useState("");
  const agentQ = useDebounced(agent.trim(), 300);
  const toolQ = useDebounced(tool.trim(), 300);
  const filters: ApprovalFilters = { status: status || undefined, agent: agentQ || undefined, tool: toolQ || undefined };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-3">
        <Select aria-label="Filter by status" value={status} onChange={(e) => setStatus(e.target.value)} className="max-w-44">
          <option value="">Any status</option>
          {["pending", "approved", "denied", "expired", "cancelled"].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
        <Input aria-label="Filter by agent id" placeholder="Agent id (agt_...)" value={agent} onChange={(e) => setAgent(e.target.value)} className="max-w-xs" />
        <Input aria-label="Filter by tool" placeholder="Tool, e.g. payments.refund" value={tool} onChange={(e) => setTool(e.target.value)} className="max-w-xs" />
      </div>
      <ApprovalList filters={filters} />
    </div>
  );
}

function ApprovalList({ filters, initial, live = false }: { filters: ApprovalFilters; initial?: ApprovalPage; live?: boolean }) {
  const list = useInfiniteQuery({
    ...queries.approvals(filters),
    ...(initial ? { initialData: { pages: [initial], pageParams: [undefined] } as InfiniteData<ApprovalPage, string | undefined> } : {}),
    refetchInterval: live ? REFRESH_MS : false,
  });
  const rows = list.data?.pages.flatMap((p) => p.approvals) ?? [];
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  if (list.isPending) return <LoadingState />;
  if (rows.length === 0) {
    return live ? (
      <EmptyState title="Nothing is waiting for a decision">New requests from agents appear here as they arrive.</EmptyState>
    ) : (
      <EmptyState title="No requests match">Change the filters.</EmptyState>
    );
  }
  return (
    <>
      <ul data-testid={live ? "approval-inbox" : "approval-history"} className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.map((a) => (
          <li key={a.id} data-testid="approval-row">
            <Link href={`/approvals/${a.id}`} className="flex items-start justify-between gap-4 px-4 py-3 hover:bg-slate-50">
              <div className="min-w-0 space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono font-medium">{a.tool.name}</span>
                  <RiskBadge risk={a.tool.risk} />
                  <span className="text-sm text-slate-500">on</span>
                  <span className="font-mono text-sm">{a.resource.path}</span>
                </div>
                <div className="text-sm text-slate-600">
                  {a.agent.name}
                  {a.agent.owner ? <span className="text-slate-400"> (owner {a.agent.owner.email})</span> : null}
                  {a.user ? <span> for {a.user.email}</span> : null}
                </div>
                {a.justification ? <p className="truncate text-sm text-slate-500">“{a.justification}”</p> : null}
              </div>
              <div className="flex shrink-0 flex-col items-end gap-1 text-sm">
                <ApprovalStatusBadge status={a.status} />
                <TimeLeft expiresAt={a.expires_at} status={a.status} />
                <span className="text-xs text-slate-400">{formatDateTime(a.created_at)}</span>
              </div>
            </Link>
          </li>
        ))}
      </ul>
      {list.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            {list.isFetchingNextPage ? "Loading…" : "Load older requests"}
          </Button>
        </div>
      ) : null}
    </>
  );
}
