"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge, resultTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { DataTable } from "@/components/ui/data-table";

export function AuditLog() {
  const [action, setAction] = useState("");
  const [result, setResult] = useState("");
  const filters = { action: action.trim() || undefined, result: result || undefined };
  const log = useInfiniteQuery(queries.auditEvents(filters));
  const events = log.data?.pages.flatMap((p) => p.events) ?? [];

  return (
    <div className="space-y-4">
      <div className="flex gap-3">
        <Input aria-label="Filter by action" placeholder="Action, e.g. user.create" value={action} onChange={(e) => setAction(e.target.value)} className="max-w-xs" />
        <Select aria-label="Filter by result" value={result} onChange={(e) => setResult(e.target.value)} className="max-w-40">
          <option value="">Any result</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="allow">allow</option>
          <option value="deny">deny</option>
          <option value="approval_required">approval required</option>
        </Select>
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
              <tr key={e.id} className="align-top">
                <td className="whitespace-nowrap px-4 py-2 text-slate-500">{formatDateTime(e.createdAt)}</td>
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
                <td className="max-w-md px-4 py-2 font-mono text-xs text-slate-500">
                  {Object.keys(e.details).length ? JSON.stringify(e.details) : ""}
                  {e.ip ? <div>ip {e.ip}</div> : null}
                </td>
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
    </div>
  );
}
