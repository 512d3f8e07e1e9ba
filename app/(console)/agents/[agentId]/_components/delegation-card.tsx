"use client";
// "May delegate to": the agents this one may hand its tokens to through token exchange (RFC 8693), an admin policy.
// A rule only opens the door; every hop still narrows scope, subtree and expiry, and decisions check every agent of
// the chain.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/data-table";
import { Field, Input } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { AgentView } from "@/lib/agents/agent-view";
import type { DelegationRuleView } from "@/lib/delegation/delegation-rule-view";

export function DelegationCard({ agent, canWrite }: { agent: AgentView; canWrite: boolean }) {
  const qc = useQueryClient();
  const query = useQuery(queries.delegationRules(agent.id));
  const [to, setTo] = useState("");
  const [removing, setRemoving] = useState<DelegationRuleView | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: queries.delegationRules(agent.id).queryKey });

  const allow = useMutation({
    mutationFn: () => apiFetch("/delegation-rules", { method: "POST", body: { from: agent.id, to: to.trim() } }),
    onSuccess: () => {
      setTo("");
      return invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (rule: DelegationRuleView) =>
      apiFetch(`/delegation-rules/${encodeURIComponent(rule.from.id)}/${encodeURIComponent(rule.to.id)}`, { method: "DELETE" }),
    onSuccess: () => {
      setRemoving(null);
      return invalidate();
    },
  });

  const outgoing = query.data?.filter((r) => r.from.id === agent.id) ?? [];
  return (
    <Card title="May delegate to" testId="delegation-card">
      <div className="space-y-3 p-4 text-sm">
        <p className="text-slate-600">
          Agents that may exchange a token this agent holds for a delegated one. Each hop only narrows the scope, the subtree and the expiry.
        </p>
        {query.isPending ? (
          <LoadingState />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : outgoing.length === 0 ? (
          <EmptyState title="No delegation allowed">Only agents named in a token's may_act claim can act for its holder.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="delegation-rules">
            {outgoing.map((r) => (
              <li key={r.to.id} className="flex items-center justify-between gap-3 py-2">
                <span>
                  <span className="font-medium">{r.to.name ?? "(deleted agent)"}</span>{" "}
                  <code className="text-xs text-slate-500">{r.to.id}</code>
                  <span className="block text-xs text-slate-400">since {formatDateTime(r.createdAt)}</span>
                </span>
                {canWrite ? (
                  <Button variant="secondary" size="sm" onClick={() => setRemoving(r)}>
                    Remove
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {canWrite ? (
          <form
            className="flex items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (to.trim()) allow.mutate();
            }}
          >
            <div className="flex-1">
              <Field label="Allow delegation to agent" hint="The agent's id (agt_...)">
                <Input value={to} onChange={(e) => setTo(e.target.value)} placeholder="agt_..." />
              </Field>
            </div>
            <Button type="submit" disabled={allow.isPending || !to.trim()}>
              {allow.isPending ? "Allowing…" : "Allow"}
            </Button>
          </form>
        ) : null}
        <FormError>{allow.error?.message ?? null}</FormError>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title="Remove this delegation rule?"
        body={`${agent.name} will no longer be able to delegate to ${removing?.to.name ?? removing?.to.id ?? ""}. Tokens already exchanged live out their short lifetime.`}
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error?.message ?? null}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
      />
    </Card>
  );
}
