"use client";
// Anomaly alerts, on the dashboard (every agent) and on an agent's page (its own): each links to the decision that
// raised it in the audit log; admins acknowledge them.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime } from "@/components/format";
import { type AlertFilters, queries } from "@/components/queries";
import { apiFetch } from "@/components/api-client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { AlertView } from "@/lib/alerts/list-alerts";
import { alertAuditHref, RULE_LABELS } from "@/lib/alerts/links";

type Props = {
  agentId?: string;
  canAcknowledge: boolean;
  /** whether the viewer may open the audit log (the links go there) */
  canSeeAudit: boolean;
  title?: string;
  limit?: number;
  testId?: string;
  /** an anchor for links to this list (the dashboard's "Open alerts" tile) */
  id?: string;
};

export function AlertList({ agentId, canAcknowledge, canSeeAudit, title = "Alerts", limit = 10, testId = "alerts", id }: Props) {
  const [show, setShow] = useState<"open" | "all">("open");
  const filters: AlertFilters = { agent: agentId, acknowledged: show === "open" ? "false" : undefined };
  const list = useInfiniteQuery({ ...queries.alerts(filters, limit), refetchInterval: 15_000 });
  const alerts = list.data?.pages.flatMap((p) => p.alerts) ?? [];
  const openCount = list.data?.pages[0]?.openCount;

  return (
    <Card
      title={openCount ? `${title} (${openCount} open)` : title}
      testId={testId}
      id={id}
      actions={
        <div role="group" aria-label="Which alerts" className="flex gap-1">
          {(["open", "all"] as const).map((v) => (
            <Button key={v} size="sm" variant={show === v ? "secondary" : "ghost"} aria-pressed={show === v} onClick={() => setShow(v)}>
              {v === "open" ? "Open" : "All"}
            </Button>
          ))}
        </div>
      }
    >
      {list.isError ? (
        <div className="p-4">
          <ErrorState error={list.error} onRetry={() => list.refetch()} />
        </div>
      ) : list.isPending ? (
        <LoadingState label="Loading alerts…" />
      ) : alerts.length === 0 ? (
        <div className="p-4">
          <EmptyState title={show === "open" ? "No open alerts" : "No alerts yet"}>
            Alerts appear when an agent calls a tool outside its task, uses a tool for the first time, is denied in a burst, or calls outside its grant windows.
          </EmptyState>
        </div>
      ) : (
        <ul className="divide-y divide-slate-100">
          {alerts.map((a) => (
            <AlertRow key={a.id} alert={a} showAgent={!agentId} canAcknowledge={canAcknowledge} canSeeAudit={canSeeAudit} />
          ))}
        </ul>
      )}
      {list.hasNextPage ? (
        <div className="flex justify-center border-t border-slate-100 p-2">
          <Button variant="ghost" size="sm" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            {list.isFetchingNextPage ? "Loading…" : "Older alerts"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function AlertRow({ alert, showAgent, canAcknowledge, canSeeAudit }: { alert: AlertView; showAgent: boolean; canAcknowledge: boolean; canSeeAudit: boolean }) {
  const qc = useQueryClient();
  const ack = useMutation({
    mutationFn: () => apiFetch<AlertView>(`/alerts/${encodeURIComponent(alert.id)}/acknowledge`, { method: "POST" }),
    // a 409 means someone else acknowledged it first: either way the list is stale
    onSettled: () => qc.invalidateQueries({ queryKey: queries.alertsAll().queryKey }),
  });
  return (
    <li data-testid="alert-row" className="flex items-start gap-3 px-4 py-3 text-sm">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={alert.acknowledgedAt ? "gray" : alert.rule === "denial_burst" || alert.rule === "outside_window" ? "red" : "amber"}>{RULE_LABELS[alert.rule] ?? alert.rule}</Badge>
          {showAgent ? (
            <Link href={`/agents/${alert.agent.id}`} className="font-medium text-brand hover:underline">
              {alert.agent.name ?? alert.agent.id}
            </Link>
          ) : null}
          <span className="text-xs text-slate-500">{formatDateTime(alert.createdAt)}</span>
        </div>
        <p className="mt-1 break-words text-slate-700">{alert.message}</p>
        <p className="mt-1 flex flex-wrap gap-3 text-xs text-slate-500">
          {alert.eventId ? (
            canSeeAudit ? (
              <Link href={alertAuditHref(alert)} className="text-brand hover:underline" title={alert.eventId}>
                Decision in the audit log
              </Link>
            ) : (
              <span className="font-mono">{alert.eventId}</span>
            )
          ) : null}
          {alert.acknowledgedAt ? (
            <span>
              Acknowledged by {alert.acknowledgedBy?.label ?? alert.acknowledgedBy?.id} at {formatDateTime(alert.acknowledgedAt)}
            </span>
          ) : null}
        </p>
        {ack.isError ? <p className="mt-1 text-xs text-red-700">{ack.error.message}</p> : null}
      </div>
      {canAcknowledge && !alert.acknowledgedAt ? (
        <Button size="sm" variant="secondary" disabled={ack.isPending} onClick={() => ack.mutate()}>
          {ack.isPending ? "Acknowledging…" : "Acknowledge"}
        </Button>
      ) : null}
    </li>
  );
}
