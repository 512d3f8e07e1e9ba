"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { AgentStatusBadge } from "@/components/agent-badges";
import { apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { AgentView } from "@/lib/agents/agent-view";
import { Card } from "@/components/ui/card";

const EXPLAIN: Record<string, string> = {
  active: "It can get tokens with its credentials.",
  suspended: "It gets no tokens, and the tokens it held stopped working when it was suspended.",
  pending: "It registered itself (dynamic client registration) and gets no tokens until an admin activates it. Check its name, owner, scopes and redirect URIs first.",
  killed: "The kill switch cut it off. A killed agent is not reactivated here; Restore agent (Kill switch) brings it back with a new secret.",
};

export function AgentStatusCard({ agent, canWrite }: { agent: AgentView; canWrite: boolean }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState<"suspend" | "reactivate" | "activate" | null>(null);
  const change = useMutation({
    mutationFn: (action: "suspend" | "reactivate" | "activate") => apiFetch<AgentView>(`/agents/${agent.id}/${action}`, { method: "POST" }),
    onSuccess: () => {
      setConfirming(null);
      return qc.invalidateQueries({ queryKey: queries.agentsAll().queryKey });
    },
  });

  return (
    <Card title="Status" testId="agent-status-card">
      <div className="space-y-3 p-4 text-sm">
        <p className="flex items-center gap-2">
          <AgentStatusBadge status={agent.status} />
          <span className="text-slate-600">{EXPLAIN[agent.status]}</span>
        </p>
        {canWrite && agent.status === "active" ? (
          <Button variant="danger" onClick={() => setConfirming("suspend")}>
            Suspend agent
          </Button>
        ) : null}
        {canWrite && agent.status === "suspended" ? <Button onClick={() => setConfirming("reactivate")}>Reactivate agent</Button> : null}
        {canWrite && agent.status === "pending" ? (
          <Button onClick={() => setConfirming("activate")} data-testid="activate-agent">
            Activate agent
          </Button>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "suspend" ? `Suspend ${agent.name}?` : confirming === "activate" ? `Activate ${agent.name}?` : `Reactivate ${agent.name}?`}
        body={
          confirming === "suspend"
            ? "It gets no new tokens, and every token it holds stops working at once. Its credentials stay; reactivate it later to let it get tokens again."
            : confirming === "activate"
              ? "It can get tokens with the credentials it registered, for the scopes it lists. What it may do still depends on its grants."
              : "It can get new tokens with its credentials again. Tokens issued before the suspension stay invalid."
        }
        confirmLabel={confirming === "suspend" ? "Suspend now" : confirming === "activate" ? "Activate now" : "Reactivate now"}
        pending={change.isPending}
        error={change.error?.message}
        onConfirm={() => confirming && change.mutate(confirming)}
        onClose={() => {
          setConfirming(null);
          change.reset();
        }}
      />
    </Card>
  );
}
