"use client";
// The audit log: filters that live in the URL (so a filtered view can be linked to; the names are in
// lib/audit/filter-params.ts), keyset-paged rows, a detail drawer (?event=evt_...), and export of the filtered range.
import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { formatDateTime, utcIso } from "@/components/format";
import { queries } from "@/components/queries";
import { useDebounced } from "@/components/use-debounced";
import { Badge, resultTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { Field, Input, Select } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { type AuditFilterValues, auditFilterSearch, auditFiltersFrom } from "@/lib/audit/filter-params";
import { EventDrawer } from "./event-drawer";

/** The form's own copy of the filters; applied to the URL on submit. Times are shown and typed in UTC. */
type Draft = Required<Record<"agent" | "user" | "action" | "result" | "from" | "to" | "node", string>>;
const toDraft = (f: AuditFilterValues): Draft => ({
  agent: f.agent ?? "",
  user: f.user ?? "",
  action: f.action ?? "",
  result: f.result ?? "",
  from: f.from ? f.from.slice(0, 16) : "",
  to: f.to ? f.to.slice(0, 16) : "",
  node: f.node ?? "",
});

export function AuditLog() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = auditFiltersFrom(search);
  const openEvent = search.get("event");
  const [draft, setDraft] = useState<Draft>(() => toDraft(filters));
  const log = useInfiniteQuery(queries.auditEvents(filters));
  const events = log.data?.pages.flatMap((p) => p.events) ?? [];

  const go = (next: AuditFilterValues, event?: string) => {
    const qs = auditFilterSearch(next, { event });
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    // actorId/targetId come only from links: keep them unless cleared
    go({ ...draft, from: utcIso(draft.from), to: utcIso(draft.to), actorId: filters.actorId, targetId: filters.targetId });
  };
  const clear = () => {
    setDraft(toDraft({}));
    go({});
  };
  const set = (k: keyof Draft) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const exportHref = (format: "csv" | "jsonl") => `/api/v1/audit-events/export?${auditFilterSearch(filters, { format })}`;
  const filtered = Object.keys(filters).length > 0;
  // typing a name in Agent suggests matching agents by name; the filter itself takes the id
  const agentText = useDebounced(draft.agent.trim());
  const suggestions = useInfiniteQuery({
    ...queries.agents({ q: agentText }),
    enabled: agentText.length > 1 && !agentText.startsWith("agt_"),
    select: (d) => d.pages[0]?.agents.slice(0, 10) ?? [],
  });

  return (
    <div className="space-y-4">
      <form onSubmit={apply} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" aria-label="Filters" data-testid="audit-filters">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Field label="Agent">
            <Input placeholder="agt_… or a name" list="audit-agent-suggestions" value={draft.agent} onChange={set("agent")} />
          </Field>
          <Field label="User (actor)">
            <Input placeholder="usr_…" value={draft.user} onChange={set("user")} />
          </Field>
          <Field label="Action" hint="Exact, or a prefix ending in a dot: decision.">
            <Input placeholder="decision." value={draft.action} onChange={set("action")} />
          </Field>
          <Field label="Result">
            <Select value={draft.result} onChange={set("result")}>
              <option value="">Any result</option>
              <option value="allow">allow</option>
              <option value="deny">deny</option>
              <option value="approval_required">approval required</option>
              <option value="success">success</option>
              <option value="failure">failure</option>
            </Select>
          </Field>
          <Field label="From (UTC)">
            <Input type="datetime-local" value={draft.from} onChange={set("from")} />
          </Field>
          <Field label="To (UTC)">
            <Input type="datetime-local" value={draft.to} onChange={set("to")} />
          </Field>
          <Field label="Resource subtree" hint="A node id or a path: acme/platform">
            <Input placeholder="res_… or acme/platform" value={draft.node} onChange={set("node")} />
          </Field>
          <div className="flex items-end gap-2">
            <Button type="submit">Apply</Button>
            <Button variant="secondary" onClick={clear} disabled={!filtered}>
              Clear
            </Button>
          </div>
        </div>
        <datalist id="audit-agent-suggestions">
          {(suggestions.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </datalist>
        {filters.actorId || filters.targetId ? (
          <p className="mt-3 text-xs text-slate-500">
            Also filtered by {filters.actorId ? <code>actor {filters.actorId}</code> : null} {filters.targetId ? <code>target {filters.targetId}</code> : null}
          </p>
        ) : null}
      </form>

      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-500">{filtered ? "Filtered view: export takes the same filters." : "All events, newest first."}</p>
        <div className="flex gap-2">
          {/* a plain download: the session cookie authenticates it, and the file streams straight to disk */}
          <a href={exportHref("csv")} download data-testid="export-csv" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
            Export CSV
          </a>
          <a href={exportHref("jsonl")} download data-testid="export-jsonl" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
            Export JSON Lines
          </a>
        </div>
      </div>

      {log.isError ? (
        <ErrorState error={log.error} onRetry={() => log.refetch()} />
      ) : log.isPending ? (
        <LoadingState />
      ) : events.length === 0 ? (
        <EmptyState title="No events match">Change the filters, or come back when something has happened.</EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <DataTable columns={["Time", "Action", "Actor", "Target", "Result", "Details"]} testId="audit-table">
            {events.map((e) => (
              <tr
                key={e.id}
                data-event-id={e.id}
                className={`cursor-pointer align-top hover:bg-slate-50 ${openEvent === e.id ? "bg-blue-50" : ""}`}
                onClick={() => go(filters, e.id)}
              >
                <td className="whitespace-nowrap px-4 py-2 text-slate-500">
                  <button type="button" className="text-left hover:underline" onClick={(ev) => (ev.stopPropagation(), go(filters, e.id))} aria-label={`Open event ${e.id}`}>
                    {formatDateTime(e.createdAt)}
                  </button>
                </td>
                <td className="px-4 py-2">
                  <code>{e.action}</code>
                </td>
                <td className="px-4 py-2">
                  <div>{e.actor.label ?? e.actor.id}</div>
                  <div className="text-xs text-slate-400">{e.actor.type}</div>
                </td>
                <td className="px-4 py-2 font-mono text-xs text-slate-500">{e.target?.id ?? "—"}</td>
                <td className="px-4 py-2">
                  <Badge tone={resultTone(e.result)}>{e.result}</Badge>
                </td>
                <td className="max-w-md truncate px-4 py-2 font-mono text-xs text-slate-500">{Object.keys(e.details).length ? JSON.stringify(e.details) : ""}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
      {log.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>
            {log.isFetchingNextPage ? "Loading…" : "Load older events"}
          </Button>
        </div>
      ) : null}
      <EventDrawer eventId={openEvent} initial={events.find((e) => e.id === openEvent)} onClose={() => go(filters)} />
    </div>
  );
}
