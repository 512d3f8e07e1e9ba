"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, FormError } from "@/components/ui/data-table";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { DrillView } from "@/lib/drills/drill-view";

const tone = (s: DrillView["status"]) => (s === "passed" ? "green" : s === "failed" ? "red" : "amber");

export function DrillsPanel({ initialDrills }: { initialDrills: DrillView[] }) {
  const qc = useQueryClient();
  const drills = useQuery({ ...queries.drills(), initialData: initialDrills });
  const [open, setOpen] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: () => apiFetch<DrillView>("/drills", { method: "POST" }),
    onSuccess: (d) => {
      setOpen(d.id);
      return qc.invalidateQueries({ queryKey: queries.drills().queryKey });
    },
  });

  return (
    <div className="space-y-4">
      <div className="flex items-center justify-end gap-3">
        {run.isPending ? (
          <span role="status" data-testid="drill-running" className="flex items-center gap-2 text-sm text-slate-600">
            <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand" aria-hidden />
            Drill running: canary, token, decision, kill switch, measuring…
          </span>
        ) : null}
        <Button onClick={() => run.mutate()} disabled={run.isPending}>
          Run drill
        </Button>
      </div>
      <FormError>{run.error?.message}</FormError>
      {drills.isError ? (
        <ErrorState error={drills.error} onRetry={() => drills.refetch()} />
      ) : drills.isPending ? (
        <LoadingState />
      ) : drills.data.length === 0 ? (
        <EmptyState title="No drills yet">Run one to prove that the kill switch takes effect in under a second.</EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <DataTable columns={["Started", "Result", { label: "Time to effect", align: "right" }, "Error", ""]} testId="drills-table">
            {drills.data.map((d) => (
              <Fragment key={d.id}>
                <tr data-testid={`drill-row-${d.id}`}>
                  <td className="px-4 py-2 text-slate-600">{formatDateTime(d.startedAt)}</td>
                  <td className="px-4 py-2">
                    <Badge tone={tone(d.status)}>{d.status}</Badge>
                  </td>
                  <td className="px-4 py-2 text-right font-mono" data-testid="time-to-effect">
                    {d.timeToEffectMs === null ? "—" : `${d.timeToEffectMs} ms`}
                  </td>
                  <td className="px-4 py-2 text-red-700">{d.error ?? ""}</td>
                  <td className="px-4 py-2 text-right">
                    <Button variant="ghost" size="sm" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>
                      {open === d.id ? "Hide steps" : "Steps"}
                    </Button>
                  </td>
                </tr>
                {open === d.id ? (
                  <tr>
                    <td colSpan={5} className="bg-slate-50 px-4 py-3">
                      <ol className="space-y-1 font-mono text-xs" data-testid="drill-steps">
                        {d.steps.map((s, i) => (
                          <li key={i} className={s.ok ? "text-slate-700" : "text-red-700"}>
                            {s.at.slice(11, 23)} {s.ok ? "✓" : "✗"} {s.step}: {s.detail}
                          </li>
                        ))}
                      </ol>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </DataTable>
        </div>
      )}
    </div>
  );
}
