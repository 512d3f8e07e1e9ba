"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { DataTable, FormError } from "@/components/ui/data-table";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { InitialAccessTokenView } from "@/lib/dcr/initial-access-token-view";

const TONE = { active: "green", used: "blue", revoked: "gray", expired: "gray" } as const;

export function InitialAccessTokens({ initialTokens }: { initialTokens: InitialAccessTokenView[] }) {
  const qc = useQueryClient();
  const tokens = useQuery({ ...queries.initialAccessTokens(), initialData: initialTokens });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<InitialAccessTokenView | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: queries.initialAccessTokens().queryKey });

  const create = useMutation({
    mutationFn: (expiresInHours: number) =>
      apiFetch<{ initialAccessToken: InitialAccessTokenView; token: string }>("/initial-access-tokens", { method: "POST", body: { expiresInHours } }),
    onSuccess: invalidate,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<InitialAccessTokenView>(`/initial-access-tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      return invalidate();
    },
  });
  const closeCreate = () => {
    setCreating(false);
    create.reset();
  };

  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <Button onClick={() => setCreating(true)}>Issue initial access token</Button>
      </div>
      {tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.isPending ? (
        <LoadingState />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No initial access tokens">Issue one for each client that should register itself.</EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <DataTable columns={["Token", "Status", "Owner of the agent", "Issued", "Expires", "Used", ""]} testId="initial-access-tokens-table">
            {tokens.data.map((t) => (
              <tr key={t.id} data-testid={`iat-row-${t.id}`}>
                <td className="px-4 py-2 font-mono text-slate-500">dpi_…{t.last4}</td>
                <td className="px-4 py-2">
                  <Badge tone={TONE[t.status]}>{t.status}</Badge>
                </td>
                <td className="px-4 py-2 text-slate-600">{t.owner?.email ?? "-"}</td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(t.createdAt)}</td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(t.expiresAt)}</td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(t.usedAt)}</td>
                <td className="px-4 py-2 text-right">
                  {t.status === "active" ? (
                    <Button variant="ghost" size="sm" onClick={() => setRevoking(t)}>
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}

      <Dialog open={creating} onClose={closeCreate} title={create.data ? "Initial access token issued" : "Issue initial access token"}>
        {create.data ? (
          <div className="space-y-4">
            <SecretReveal label="initial access token" value={create.data.token} />
            <p className="text-sm text-slate-600">
              The client sends it as <code>Authorization: Bearer …</code> to <code>/oauth/register</code>. It registers one client; activate the
              pending agent on its page afterwards.
            </p>
            <div className="flex justify-end">
              <Button onClick={closeCreate}>Done</Button>
            </div>
          </div>
        ) : (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate(Number(new FormData(e.currentTarget).get("hours") ?? 24));
            }}
          >
            <Field label="Valid for (hours)" hint="1 to 720; it can register one client within that time">
              <Input name="hours" type="number" min={1} max={720} defaultValue={24} required autoFocus />
            </Field>
            <FormError>{create.error?.message}</FormError>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={closeCreate}>
                Cancel
              </Button>
              <Button type="submit" disabled={create.isPending}>
                Issue
              </Button>
            </div>
          </form>
        )}
      </Dialog>

      <ConfirmMutation
        target={revoking}
        mutation={revoke}
        title={`Revoke dpi_…${revoking?.last4 ?? ""}?`}
        body="No client can register with it from now on. Agents it already registered stay as they are."
        confirmLabel="Revoke token"
        onClose={() => setRevoking(null)}
      />
    </div>
  );
}
