"use client";
// The kill switch on an agent's page: the admin types the agent's name to pull it. A killed agent is restored here,
// explicitly, with a new client secret shown once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DoneButton, FormFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import type { AgentView } from "@/lib/agents/agent-view";

export function KillSwitchCard({ agent, canWrite }: { agent: AgentView; canWrite: boolean }) {
  const qc = useQueryClient();
  const [killing, setKilling] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const [typed, setTyped] = useState("");
  const invalidate = () => qc.invalidateQueries({ queryKey: queries.agentsAll().queryKey });

  const kill = useMutation({
    mutationFn: () => apiFetch(`/agents/${agent.id}/kill`, { method: "POST", body: { confirm: typed } }),
    onSuccess: () => {
      setKilling(false);
      setTyped("");
      return invalidate();
    },
  });
  const restore = useMutation({
    mutationFn: () => apiFetch<{ agent: AgentView; clientSecret: string }>(`/agents/${agent.id}/restore`, { method: "POST", body: {} }),
    onSuccess: invalidate,
  });
  const closeKill = () => {
    setKilling(false);
    setTyped("");
    kill.reset();
  };
  const closeRestore = () => {
    setRestoring(false);
    restore.reset();
  };

  const killed = agent.status === "killed";
  return (
    <Card title="Kill switch" testId="kill-switch-card" className={killed ? "border-red-300" : ""}>
      <div className="space-y-3 p-4 text-sm">
        {killed ? (
          <p className="text-red-800">
            Killed {formatDateTime(agent.killedAt)}. Its credentials are revoked and every token it held, or that names it in a delegation chain,
            is refused. Its grants stay on record but grant nothing.
          </p>
        ) : (
          <p className="text-slate-600">
            Cuts this agent off everywhere within a second: every secret and key revoked, every token it holds or is named in refused, pending
            approvals cancelled, and an <code>agent.killed</code> webhook sent.
          </p>
        )}
        {canWrite && !killed ? (
          <Button variant="danger" onClick={() => setKilling(true)}>
            Kill switch
          </Button>
        ) : null}
        {canWrite && killed ? <Button onClick={() => setRestoring(true)}>Restore agent</Button> : null}
      </div>

      <Dialog open={killing} onClose={closeKill} title={`Kill ${agent.name}?`}>
        <form
          className="space-y-4 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            kill.mutate();
          }}
        >
          <p className="text-slate-700">
            Every secret and key of this agent is revoked and every token it holds stops working at once, here and on every instance. Pending
            approvals are cancelled. Only an explicit restore, with new credentials, brings it back.
          </p>
          <Field label={`Type ${agent.name} to confirm`}>
            <Input name="confirm" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus />
          </Field>
          <FormFooter onCancel={closeKill} submitLabel="Kill agent now" pendingLabel="Killing…" pending={kill.isPending} error={kill.error?.message} disabled={typed.trim() !== agent.name} />
        </form>
      </Dialog>

      {restore.data ? (
        <Dialog open={restoring} onClose={closeRestore} title={`${agent.name} restored`}>
          <div className="space-y-4">
            <SecretReveal label="new client secret" value={restore.data.clientSecret} />
            <DoneButton onDone={closeRestore} />
          </div>
        </Dialog>
      ) : (
        <ConfirmDialog
          open={restoring}
          title={`Restore ${agent.name}?`}
          body="It becomes active with one new client secret, shown once. Its old secrets, keys and tokens stay revoked."
          confirmLabel="Restore with a new secret"
          pending={restore.isPending}
          error={restore.error?.message}
          onConfirm={() => restore.mutate()}
          onClose={closeRestore}
        />
      )}
    </Card>
  );
}
