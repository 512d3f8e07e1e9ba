"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { ApiKeyView } from "@/lib/api-keys/api-key-view";
import { DataTable, FormError } from "@/components/ui/data-table";

export function ApiKeysTable({ initialKeys }: { initialKeys: ApiKeyView[] }) {
  const qc = useQueryClient();
  const keys = useQuery({ ...queries.apiKeys(), initialData: initialKeys });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: queries.apiKeys().queryKey });

  const create = useMutation({
    mutationFn: (name: string) => apiFetch<{ apiKey: ApiKeyView; key: string }>("/api-keys", { method: "POST", body: { name } }),
    onSuccess: invalidate,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<ApiKeyView>(`/api-keys/${id}`, { method: "DELETE" }),
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
        <Button onClick={() => setCreating(true)}>Create API key</Button>
      </div>
      {keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.isPending ? (
        <LoadingState />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys">Create one for scripts and CI that manage Deputy.</EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <DataTable columns={["Name", "Key", "Status", "Created", "Last used", ""]} testId="api-keys-table">
            {keys.data.map((k) => (
              <tr key={k.id} data-testid={`api-key-row-${k.name}`}>
                <td className="px-4 py-2 font-medium">{k.name}</td>
                <td className="px-4 py-2 font-mono text-slate-500">dpk_…{k.last4}</td>
                <td className="px-4 py-2">
                  <Badge tone={k.status === "active" ? "green" : "gray"}>{k.status}</Badge>
                </td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(k.createdAt)}</td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(k.lastUsedAt)}</td>
                <td className="px-4 py-2 text-right">
                  {k.status === "active" ? (
                    <Button variant="ghost" size="sm" onClick={() => setRevoking(k)}>
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}

      <Dialog open={creating} onClose={closeCreate} title={create.data ? "API key created" : "Create API key"}>
        {create.data ? (
          <div className="space-y-4">
            <SecretReveal label="API key" value={create.data.key} />
            <div className="flex justify-end">
              <Button onClick={closeCreate}>Done</Button>
            </div>
          </div>
        ) : (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate(String(new FormData(e.currentTarget).get("name") ?? ""));
            }}
          >
            <Field label="Name" hint="What uses it, e.g. terraform-ci">
              <Input name="name" required maxLength={100} autoFocus />
            </Field>
            <FormError>{create.error?.message}</FormError>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={closeCreate}>
                Cancel
              </Button>
              <Button type="submit" disabled={create.isPending}>
                Create
              </Button>
            </div>
          </form>
        )}
      </Dialog>

      <ConfirmMutation
        target={revoking}
        mutation={revoke}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        body="Every request with this key is refused from now on. This cannot be undone; create a new key if you need one."
        confirmLabel="Revoke key"
        onClose={() => setRevoking(null)}
      />
    </div>
  );
}
