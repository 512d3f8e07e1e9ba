"use client";
// One webhook's delivery log: newest first, a page at a time, refreshed while anything is still on its way.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable, FormError } from "@/components/ui/data-table";
import { Select } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { WebhookDeliveryView, WebhookView } from "@/lib/webhooks/webhook-view";

const STATUS_TONE = { delivered: "green", pending: "amber", failed: "red" } as const;

function lastResponse(d: WebhookDeliveryView): string {
  if (d.attempts === 0) return "not sent yet";
  return d.lastError ?? (d.lastStatus !== null ? `HTTP ${d.lastStatus}` : "");
}

export function DeliveryLog({ webhook, onClose }: { webhook: WebhookView; onClose: () => void }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState("");
  const log = useInfiniteQuery({
    ...queries.webhookDeliveries(webhook.id, status || undefined),
    // while something is queued, watch it land (the sender polls every second)
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.deliveries.some((d) => d.status === "pending")) ? 2_000 : false),
  });
  const redeliver = useMutation({
    mutationFn: (id: string) => apiFetch<WebhookDeliveryView>(`/webhooks/${webhook.id}/deliveries/${id}/redeliver`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["webhooks", "deliveries", webhook.id] }),
  });
  const rows = log.data?.pages.flatMap((p) => p.deliveries) ?? [];

  return (
    <Card
      title={`Deliveries of “${webhook.name}”`}
      testId="delivery-log"
      actions={
        <>
          <Select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)} className="w-36 py-1">
            <option value="">All statuses</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="failed">Failed</option>
          </Select>
          <Button variant="secondary" size="sm" onClick={() => log.refetch()}>
            Refresh
          </Button>
          <Button variant="ghost" size="sm" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      <div className="p-4">
        <FormError>{redeliver.error?.message}</FormError>
        {log.isError ? (
          <ErrorState error={log.error} onRetry={() => log.refetch()} />
        ) : log.isPending ? (
          <LoadingState />
        ) : rows.length === 0 ? (
          <EmptyState title="No deliveries">{status ? "None with this status." : "Events this webhook takes, and tests, appear here."}</EmptyState>
        ) : (
          <>
            <DataTable columns={["Event", "Status", "Attempts", "Last response", "Queued", "Next attempt / delivered", { label: "", align: "right" }]} testId="deliveries-table">
              {rows.map((d) => (
                <tr key={d.id} data-testid={`delivery-row-${d.id}`}>
                  <td className="px-4 py-2">
                    <code className="text-xs">{d.event}</code>
                    <div className="font-mono text-xs text-slate-400">{d.id}</div>
                  </td>
                  <td className="px-4 py-2">
                    <Badge tone={STATUS_TONE[d.status as keyof typeof STATUS_TONE] ?? "gray"}>{d.status}</Badge>
                  </td>
                  <td className="px-4 py-2 text-slate-600">{d.attempts}</td>
                  <td className="max-w-xs truncate px-4 py-2 text-xs text-slate-600" title={lastResponse(d)}>
                    {lastResponse(d)}
                  </td>
                  <td className="px-4 py-2 text-slate-500">{formatDateTime(d.createdAt)}</td>
                  <td className="px-4 py-2 text-slate-500">{d.status === "pending" ? formatDateTime(d.nextAttemptAt) : d.status === "delivered" ? formatDateTime(d.deliveredAt) : "gave up"}</td>
                  <td className="px-4 py-2 text-right">
                    {d.status !== "pending" ? (
                      <Button variant="ghost" size="sm" disabled={redeliver.isPending} onClick={() => redeliver.mutate(d.id)}>
                        Redeliver
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
            {log.hasNextPage ? (
              <div className="mt-3 flex justify-center">
                <Button variant="secondary" size="sm" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>
                  {log.isFetchingNextPage ? "Loading…" : "Load more"}
                </Button>
              </div>
            ) : null}
          </>
        )}
      </div>
    </Card>
  );
}
