"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries, type SigningKeyView } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { DataTable } from "@/components/ui/data-table";

export function SigningKeys({ initialKeys }: { initialKeys: SigningKeyView[] }) {
  const qc = useQueryClient();
  const keys = useQuery({ ...queries.signingKeys(), initialData: initialKeys });
  const [confirming, setConfirming] = useState(false);
  const rotate = useMutation({
    mutationFn: () => apiFetch<{ kid: string }>("/signing-keys/rotate", { method: "POST" }),
    onSuccess: () => {
      setConfirming(false);
      return qc.invalidateQueries({ queryKey: queries.signingKeys().queryKey });
    },
  });
  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-sm lg:col-span-2">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <div>
          <h2 className="font-semibold">Token signing keys</h2>
          <p className="text-sm text-slate-500">ES256. Private keys are stored encrypted under the master key and never leave the server.</p>
        </div>
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Rotate signing key
        </Button>
      </div>
      {keys.isError ? (
        <div className="p-4">
          <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
        </div>
      ) : keys.isPending ? (
        <LoadingState />
      ) : keys.data.length === 0 ? (
        <div className="p-4">
          <EmptyState title="No signing key yet">One is created when the first token is issued or the JWKS is first read.</EmptyState>
        </div>
      ) : (
        <DataTable columns={["Key id (kid)", "Status", "Created", "In the JWKS until"]} testId="signing-keys-table">
          {keys.data.map((k) => (
            <tr key={k.kid}>
              <td className="px-4 py-2 font-mono text-xs">{k.kid}</td>
              <td className="px-4 py-2">
                <Badge tone={k.status === "active" ? "green" : k.published ? "amber" : "gray"}>
                  {k.status === "active" ? "active" : k.published ? "retired, still published" : "retired"}
                </Badge>
              </td>
              <td className="px-4 py-2 text-slate-500">{formatDateTime(k.createdAt)}</td>
              <td className="px-4 py-2 text-slate-500">{k.status === "active" ? "—" : formatDateTime(k.publishUntil)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <ConfirmDialog
        open={confirming}
        title="Rotate the signing key?"
        body="New tokens are signed with a new key at once. The current key stays in the JWKS for an hour (the longest token lifetime), so tokens it signed keep verifying until they expire."
        confirmLabel="Rotate key"
        pending={rotate.isPending}
        error={rotate.error?.message}
        onConfirm={() => rotate.mutate()}
        onClose={() => setConfirming(false)}
      />
    </section>
  );
}
