"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SecretStatusBadge } from "@/components/agent-badges";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { Dialog, DoneButton } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import type { AgentDetailView, SecretView } from "@/lib/agents/agent-view";
import {
  DEFAULT_ROTATION_GRACE_HOURS,
  DEFAULT_SECRET_TTL_DAYS,
  MAX_ROTATION_GRACE_HOURS,
  MAX_SECRET_TTL_DAYS,
  ROTATION_POLICY_DAYS,
} from "@/lib/agents/limits";
import { Card } from "@/components/ui/card";
import { DataTable, FormError } from "@/components/ui/data-table";

type Issued = { secret: SecretView; clientSecret: string; graceEndsAt?: string; rotatedSecretIds?: string[] };

export function ClientSecrets({ agent, canWrite }: { agent: AgentDetailView; canWrite: boolean }) {
  const qc = useQueryClient();
  const invalidate = () => qc.invalidateQueries({ queryKey: queries.agentsAll().queryKey });
  const [dialog, setDialog] = useState<"new" | "rotate" | null>(null);
  const [revoking, setRevoking] = useState<SecretView | null>(null);
  const killed = agent.status === "killed";

  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<SecretView>(`/agents/${agent.id}/secrets/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      return invalidate();
    },
  });

  return (
    <Card
      title="Client secrets"
      testId="client-secrets"
      actions={
        canWrite && !killed ? (
          <>
            <Button variant="secondary" size="sm" onClick={() => setDialog("new")}>
              New secret
            </Button>
            <Button size="sm" onClick={() => setDialog("rotate")}>
              Rotate secret
            </Button>
          </>
        ) : null
      }
    >
      {agent.rotationDue ? (
        <p className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-800">
          Rotation due: its oldest active secret is more than {ROTATION_POLICY_DAYS} days old.
        </p>
      ) : null}
      {agent.secrets.length === 0 ? (
        <div className="p-4">
          <EmptyState title="No client secrets">
            {canWrite ? "Create one, or register a public key for private_key_jwt." : "This agent authenticates with a public key, if any."}
          </EmptyState>
        </div>
      ) : (
        <DataTable columns={["Secret", "Status", "Created", "Expires", "Last used", ""]} testId="secrets-table">
          {agent.secrets.map((s) => (
            <tr key={s.id} data-testid={`secret-row-${s.last4}`}>
              <td className="px-4 py-2 font-mono text-slate-500">dps_…{s.last4}</td>
              <td className="px-4 py-2">
                <SecretStatusBadge status={s.status} />
              </td>
              <td className="px-4 py-2 text-slate-500">{formatDateTime(s.createdAt)}</td>
              <td className="px-4 py-2 text-slate-500">
                {s.status === "revoked" ? "—" : formatDateTime(s.expiresAt)}
                {s.status === "grace" ? <div className="text-xs text-amber-700">works until then</div> : null}
              </td>
              <td className="px-4 py-2 text-slate-500">{formatDateTime(s.lastUsedAt)}</td>
              <td className="px-4 py-2 text-right">
                {canWrite && (s.status === "active" || s.status === "grace") ? (
                  <Button variant="ghost" size="sm" aria-label={`Revoke secret ending ${s.last4}`} onClick={() => setRevoking(s)}>
                    Revoke
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <NewSecretDialog open={dialog === "new"} agentId={agent.id} onDone={invalidate} onClose={() => setDialog(null)} />
      <RotateDialog open={dialog === "rotate"} agent={agent} onDone={invalidate} onClose={() => setDialog(null)} />
      <ConfirmMutation
        target={revoking}
        mutation={revoke}
        title={`Revoke the secret ending ${revoking?.last4 ?? ""}?`}
        body="Token requests with this secret are refused from now on, with no grace period. This cannot be undone; to replace a secret without downtime, rotate instead."
        confirmLabel="Revoke secret"
        onClose={() => setRevoking(null)}
      />
    </Card>
  );
}

function NewSecretDialog({ open, agentId, onDone, onClose }: { open: boolean; agentId: string; onDone: () => void; onClose: () => void }) {
  const create = useMutation({
    mutationFn: (expiresInDays: number) => apiFetch<Issued>(`/agents/${agentId}/secrets`, { method: "POST", body: { expiresInDays } }),
    onSuccess: onDone,
  });
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={create.data ? "Secret created" : "New client secret"}>
      {create.data ? (
        <div className="space-y-4">
          <SecretReveal label="client secret" value={create.data.clientSecret} />
          <p className="text-sm text-slate-600">It works until {formatDateTime(create.data.secret.expiresAt)}. The other secrets keep working.</p>
          <DoneButton onDone={close} />
        </div>
      ) : (
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(Number(new FormData(e.currentTarget).get("expiresInDays")));
          }}
        >
          <p className="text-sm text-slate-600">Adds a secret next to the existing ones, which keep working. To replace a secret, rotate instead.</p>
          <Field label="Expires after (days)" hint={`At most ${MAX_SECRET_TTL_DAYS} days.`}>
            <Input name="expiresInDays" type="number" required min={1} max={MAX_SECRET_TTL_DAYS} step={1} defaultValue={DEFAULT_SECRET_TTL_DAYS} />
          </Field>
          <FormError>{create.error?.message}</FormError>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              Create secret
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RotateDialog({ open, agent, onDone, onClose }: { open: boolean; agent: AgentDetailView; onDone: () => void; onClose: () => void }) {
  const [graceHours, setGraceHours] = useState(String(DEFAULT_ROTATION_GRACE_HOURS));
  const rotate = useMutation({
    mutationFn: (hours: number) => apiFetch<Issued>(`/agents/${agent.id}/secrets/rotate`, { method: "POST", body: { graceHours: hours } }),
    onSuccess: onDone,
  });
  const close = () => {
    rotate.reset();
    setGraceHours(String(DEFAULT_ROTATION_GRACE_HOURS));
    onClose();
  };
  const current = agent.secrets.filter((s) => s.status === "active");
  const hours = Number(graceHours);
  const validHours = graceHours !== "" && Number.isInteger(hours) && hours >= 0 && hours <= MAX_ROTATION_GRACE_HOURS;

  return (
    <Dialog open={open} onClose={close} title={rotate.data ? "Secret rotated" : "Rotate client secret"}>
      {rotate.data ? (
        <div className="space-y-4">
          <SecretReveal label="new client secret" value={rotate.data.clientSecret} />
          <p className="text-sm text-slate-600" data-testid="grace-ends">
            {rotate.data.rotatedSecretIds?.length
              ? `The old secret keeps working until ${formatDateTime(rotate.data.graceEndsAt)} (or its own expiry, if sooner), then stops.`
              : "There was no other active secret to replace."}
          </p>
          <DoneButton onDone={close} />
        </div>
      ) : (
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (validHours) rotate.mutate(hours);
          }}
        >
          <p className="text-sm text-slate-700">
            Issues a new secret. {current.length === 0 ? "There is no active secret to replace." : null}
            {current.length > 0 && validHours && hours > 0 ? (
              <>
                The current {current.length === 1 ? `secret (…${current[0]!.last4}) keeps` : `${current.length} secrets keep`} working until about{" "}
                <strong>{formatDateTime(new Date(Date.now() + hours * 3_600_000).toISOString())}</strong> (or {current.length === 1 ? "its" : "their"} own
                expiry, if sooner), then stop{current.length === 1 ? "s" : ""}. Put the new secret into the agent&apos;s configuration before then.
              </>
            ) : null}
            {current.length > 0 && validHours && hours === 0 ? <strong>The current secrets stop working at once.</strong> : null}
          </p>
          <Field label="Grace period (hours)" hint={`0 ends the old secrets now; at most ${MAX_ROTATION_GRACE_HOURS} hours.`}>
            <Input
              name="graceHours"
              type="number"
              required
              min={0}
              max={MAX_ROTATION_GRACE_HOURS}
              step={1}
              value={graceHours}
              onChange={(e) => setGraceHours(e.target.value)}
            />
          </Field>
          <FormError>{rotate.error?.message}</FormError>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={rotate.isPending || !validHours}>
              {rotate.isPending ? "Rotating…" : "Rotate now"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
