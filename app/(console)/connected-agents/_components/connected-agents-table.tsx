"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { ConsentStatus, ConsentView } from "@/lib/consents/consent-view";

const STATUS_TONE: Record<ConsentStatus, "green" | "gray" | "red"> = { active: "green", expired: "gray", revoked: "red" };
const RISK_TONE = { read: "green", write: "amber", irreversible: "red" } as const;

export function ConnectedAgentsTable({ initialConsents }: { initialConsents: ConsentView[] }) {
  const qc = useQueryClient();
  const consents = useQuery({ ...queries.myConsents(), initialData: initialConsents });
  const [revoking, setRevoking] = useState<ConsentView | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<ConsentView>(`/me/consents/${id}/revoke`, { method: "POST" }),
    onSuccess: () => {
      setRevoking(null);
      return qc.invalidateQueries({ queryKey: queries.myConsents().queryKey });
    },
  });

  return (
    <div className="space-y-4">
      {consents.isError ? (
        <ErrorState error={consents.error} onRetry={() => consents.refetch()} />
      ) : consents.isPending ? (
        <LoadingState />
      ) : consents.data.length === 0 ? (
        <EmptyState title="No connected agents">When you approve an agent on Deputy&apos;s consent screen, it appears here.</EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <DataTable columns={["Agent", "Tools", "Where", "Until", "Given", "Status", ""]} testId="consents-table">
            {consents.data.map((c) => (
              <tr key={c.id} data-testid="consent-row" data-consent-id={c.id}>
                <td className="px-4 py-2 font-medium">{c.agent.name}</td>
                <td className="px-4 py-2">
                  <span className="flex flex-wrap gap-1">
                    {c.tools.map((t) => (
                      <span key={t.name} className="inline-flex items-center gap-1">
                        <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{t.name}</code>
                        {t.risk ? <Badge tone={RISK_TONE[t.risk]}>{t.risk}</Badge> : null}
                      </span>
                    ))}
                  </span>
                </td>
                <td className="px-4 py-2 text-slate-600">{c.node ? (c.node.path ?? `${c.node.id} (deleted)`) : "everywhere you have access"}</td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(c.expiresAt)}</td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(c.createdAt)}</td>
                <td className="px-4 py-2">
                  <Badge tone={STATUS_TONE[c.status]}>{c.status}</Badge>
                </td>
                <td className="px-4 py-2 text-right">
                  {c.status === "active" ? (
                    <Button variant="ghost" size="sm" onClick={() => setRevoking(c)}>
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}

      <ConfirmMutation
        target={revoking}
        mutation={revoke}
        title={`Disconnect ${revoking?.agent.name ?? ""}?`}
        body="The agent's tokens from this consent stop working at once, everywhere. It would have to ask you again to act for you."
        confirmLabel="Revoke consent"
        onClose={() => setRevoking(null)}
      />
    </div>
  );
}
