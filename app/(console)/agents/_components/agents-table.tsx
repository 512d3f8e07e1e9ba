"use client";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime } from "@/components/format";
import { type AgentFilters, queries } from "@/components/queries";
import { useDebounced } from "@/components/use-debounced";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { AgentPage } from "@/lib/agents/list-agents";
import { AgentStatusBadge, KindLabel } from "@/components/agent-badges";
import { CreateAgentDialog } from "./create-agent-dialog";
import { DataTable } from "@/components/ui/data-table";

type Person = { id: string; email: string };

const SORTS = [
  { value: "createdAt:desc", label: "Newest first" },
  { value: "createdAt:asc", label: "Oldest first" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "name:desc", label: "Name Z–A" },
  { value: "lastSeenAt:desc", label: "Recently seen" },
  { value: "lastSeenAt:asc", label: "Least recently seen" },
] as const;
const DEFAULT_SORT = SORTS[0].value;

export function AgentsTable({
  initialPage,
  owners,
  users,
  currentUserId,
  canWrite,
}: {
  initialPage: AgentPage;
  owners: Person[];
  users: Person[];
  currentUserId: string;
  canWrite: boolean;
}) {
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [kind, setKind] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [sortValue, setSortValue] = useState<string>(DEFAULT_SORT);
  const [creating, setCreating] = useState(false);
  const q = useDebounced(search.trim());

  const [sort, order] = sortValue.split(":") as [string, string];
  const filters: AgentFilters = { q: q || undefined, status: status || undefined, kind: kind || undefined, ownerId: ownerId || undefined, sort, order };
  // the server rendered the first page of the default listing; any other listing is fetched
  const isDefault = !q && !status && !kind && !ownerId && sortValue === DEFAULT_SORT;
  const list = useInfiniteQuery({
    ...queries.agents(filters),
    ...(isDefault ? { initialData: { pages: [initialPage], pageParams: [undefined] } } : {}),
    placeholderData: keepPreviousData,
  });
  const pages = list.data?.pages ?? [];
  const agents = pages.flatMap((p) => p.agents);
  const total = pages[0]?.total ?? 0;
  const filtered = !isDefault && (q || status || kind || ownerId);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Input
          type="search"
          aria-label="Search agents"
          placeholder="Search by name or id"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="max-w-xs"
        />
        <Select aria-label="Filter by status" value={status} onChange={(e) => setStatus(e.target.value)} className="max-w-40">
          <option value="">Any status</option>
          <option value="active">active</option>
          <option value="suspended">suspended</option>
          <option value="killed">killed</option>
          <option value="pending">pending activation</option>
        </Select>
        <Select aria-label="Filter by kind" value={kind} onChange={(e) => setKind(e.target.value)} className="max-w-44">
          <option value="">Any kind</option>
          <option value="autonomous">autonomous</option>
          <option value="on_behalf_of">on behalf of a user</option>
        </Select>
        <Select aria-label="Filter by owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)} className="max-w-56">
          <option value="">Any owner</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.email}
            </option>
          ))}
        </Select>
        <Select aria-label="Sort" value={sortValue} onChange={(e) => setSortValue(e.target.value)} className="max-w-48">
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Select>
        {canWrite ? (
          <Button className="ml-auto" onClick={() => setCreating(true)}>
            New agent
          </Button>
        ) : null}
      </div>

      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : list.isPending ? (
        <LoadingState />
      ) : agents.length === 0 ? (
        filtered ? (
          <EmptyState title="No agents match">Change the search or the filters.</EmptyState>
        ) : (
          <EmptyState title="No agents yet">
            {canWrite ? "Register the first agent: it gets its own client id and secret." : "An admin registers agents here."}
          </EmptyState>
        )
      ) : (
        <>
          <div className={`overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm ${list.isPlaceholderData ? "opacity-60" : ""}`}>
            <DataTable columns={["Agent", "Owner", "Kind", "Status", "Secrets", "Last seen", "Created"]} testId="agents-table">
              {agents.map((a) => (
                <tr key={a.id} data-testid={`agent-row-${a.name}`}>
                  <td className="px-4 py-2">
                    <Link href={`/agents/${a.id}`} className="font-medium text-brand hover:underline">
                      {a.name}
                    </Link>
                    <div className="font-mono text-xs text-slate-400">{a.id}</div>
                  </td>
                  <td className="px-4 py-2 text-slate-600">{a.owner.email}</td>
                  <td className="px-4 py-2">
                    <KindLabel kind={a.kind} />
                  </td>
                  <td className="px-4 py-2">
                    <span className="flex flex-wrap gap-1">
                      <AgentStatusBadge status={a.status} />
                      {a.rotationDue ? <Badge tone="amber">rotation due</Badge> : null}
                    </span>
                  </td>
                  <td className="px-4 py-2 text-slate-600">{a.activeSecrets}</td>
                  <td className="px-4 py-2 text-slate-500">{formatDateTime(a.lastSeenAt)}</td>
                  <td className="px-4 py-2 text-slate-500">{formatDateTime(a.createdAt)}</td>
                </tr>
              ))}
            </DataTable>
          </div>
          <div className="flex items-center justify-between text-sm text-slate-500">
            <span data-testid="agents-count">
              Showing {agents.length} of {total} {total === 1 ? "agent" : "agents"}
            </span>
            {list.hasNextPage ? (
              <Button variant="secondary" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : null}
          </div>
        </>
      )}

      {canWrite ? <CreateAgentDialog open={creating} onClose={() => setCreating(false)} users={users} defaultOwnerId={currentUserId} /> : null}
    </div>
  );
}
