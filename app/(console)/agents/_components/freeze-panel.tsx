"use client";
// Incident mode on the agents page: the freezes in force with Lift, and "Freeze agents" (every agent, or the agents
// whose grants reach a subtree) behind a confirmation.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { Dialog, DoneButton, FormFooter } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import type { FreezeView } from "@/lib/freezes/freeze-view";

type Created = FreezeView & { agentIds: string[] };

export function FreezePanel({ initialFreezes, canWrite }: { initialFreezes: FreezeView[]; canWrite: boolean }) {
  const qc = useQueryClient();
  const freezes = useQuery({ ...queries.freezes(), initialData: initialFreezes });
  const [creating, setCreating] = useState(false);
  const [scope, setScope] = useState<"all" | "subtree">("all");
  const [node, setNode] = useState("");
  const [reason, setReason] = useState("");
  const [lifting, setLifting] = useState<FreezeView | null>(null);
  const invalidate = () => Promise.all([qc.invalidateQueries({ queryKey: queries.freezes().queryKey }), qc.invalidateQueries({ queryKey: queries.agentsAll().queryKey })]);

  const create = useMutation({
    mutationFn: () => apiFetch<Created>("/freezes", { method: "POST", body: { node: scope === "all" ? null : node.trim(), reason: reason.trim() || undefined } }),
    onSuccess: invalidate,
  });
  const lift = useMutation({
    mutationFn: (id: string) => apiFetch<FreezeView>(`/freezes/${id}/lift`, { method: "POST" }),
    onSuccess: () => {
      setLifting(null);
      return invalidate();
    },
  });
  const closeCreate = () => {
    setCreating(false);
    setScope("all");
    setNode("");
    setReason("");
    create.reset();
  };

  const inForce = freezes.data?.filter((f) => f.active) ?? [];
  return (
    <div id="freezes" className="mb-6">
      <Card
        title="Incident mode"
        testId="freeze-panel"
        className={inForce.length ? "border-red-300" : ""}
        actions={
          canWrite ? (
            <Button variant="danger" size="sm" onClick={() => setCreating(true)}>
              Freeze agents
            </Button>
          ) : undefined
        }
      >
        {freezes.isError ? (
          <div className="p-4">
            <ErrorState error={freezes.error} onRetry={() => freezes.refetch()} />
          </div>
        ) : freezes.isPending ? (
          <LoadingState />
        ) : inForce.length === 0 ? (
          <p className="p-4 text-sm text-slate-500" data-testid="no-freeze">
            No freeze in force. A freeze suspends every agent, or every agent whose grants reach a subtree, at once; lifting it reactivates them.
          </p>
        ) : (
          <DataTable columns={["Scope", "Reason", "Frozen agents", "Since", "By", ""]} testId="freezes-table">
            {inForce.map((f) => (
              <tr key={f.id} data-testid={`freeze-row-${f.id}`}>
                <td className="px-4 py-2 font-medium">{f.nodeId ? (f.nodePath ?? `${f.nodeId} (deleted)`) : "every agent"}</td>
                <td className="px-4 py-2 text-slate-600">{f.reason ?? "—"}</td>
                <td className="px-4 py-2">{f.frozenAgents}</td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(f.createdAt)}</td>
                <td className="px-4 py-2 text-slate-500">{f.createdByLabel ?? "—"}</td>
                <td className="px-4 py-2 text-right">
                  {canWrite ? (
                    <Button variant="secondary" size="sm" onClick={() => setLifting(f)}>
                      Lift
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>

      <Dialog open={creating} onClose={closeCreate} title={create.data ? "Freeze in force" : "Freeze agents"}>
        {create.data ? (
          <div className="space-y-4 text-sm">
            <p>
              {create.data.agentIds.length} agents suspended ({create.data.nodePath ?? "every agent"}). Their tokens stopped working; lift the freeze
              to reactivate them.
            </p>
            <DoneButton onDone={closeCreate} />
          </div>
        ) : (
          <form
            className="space-y-4 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <p className="text-slate-700">
              Suspends the agents at once: every token they hold stops working on every instance. Agents already suspended or killed are left as
              they are. Lifting the freeze reactivates only the agents it suspended.
            </p>
            <fieldset className="space-y-2">
              <legend className="font-medium text-slate-700">Which agents</legend>
              <label className="flex items-center gap-2">
                <input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} /> Every agent
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="scope" checked={scope === "subtree"} onChange={() => setScope("subtree")} /> Agents whose grants reach a
                subtree
              </label>
            </fieldset>
            {scope === "subtree" ? (
              <Field label="Subtree" hint="A node id or path, e.g. acme/platform/api; grants on it, below it and on its ancestors count">
                <Input value={node} onChange={(e) => setNode(e.target.value)} required />
              </Field>
            ) : null}
            <Field label="Reason" hint="Shown in the incident banner and the audit trail">
              <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={500} />
            </Field>
            <FormFooter
              onCancel={closeCreate}
              submitLabel={scope === "all" ? "Freeze every agent" : "Freeze these agents"}
              pendingLabel="Freezing…"
              pending={create.isPending}
              error={create.error?.message}
              disabled={scope === "subtree" && !node.trim()}
            />
          </form>
        )}
      </Dialog>

      <ConfirmMutation
        target={lifting}
        mutation={lift}
        title="Lift this freeze?"
        body={`The ${lifting?.frozenAgents ?? 0} agents it still holds become active and can get new tokens. Tokens from before the freeze stay invalid.`}
        confirmLabel="Lift freeze"
        onClose={() => setLifting(null)}
      />
    </div>
  );
}
