"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { Dialog, DoneButton, FormFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { WebhookDeliveryView, WebhookView } from "@/lib/webhooks/webhook-view";
import { DeliveryLog } from "./delivery-log";
import { EventPicker } from "./event-picker";

type Created = { webhook: WebhookView; secret: string };
type FormValues = { name: string; url: string; events: string[] };

const SEALED = "it encrypted, to sign deliveries,";

function WebhookForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: FormValues;
  submitLabel: string;
  pending: boolean;
  error?: string | null;
  onSubmit: (v: FormValues) => void;
  onCancel: () => void;
}) {
  const [events, setEvents] = useState(initial.events);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        onSubmit({ name: String(form.get("name") ?? ""), url: String(form.get("url") ?? ""), events });
      }}
    >
      <Field label="Name" hint="What receives it, e.g. SIEM, #approvals bot">
        <Input name="name" required maxLength={100} defaultValue={initial.name} autoFocus />
      </Field>
      <Field label="URL" hint="https:// (or http://) on a public host; internal addresses are refused">
        <Input name="url" type="url" required maxLength={2000} defaultValue={initial.url} placeholder="https://example.com/deputy-events" />
      </Field>
      <EventPicker value={events} onChange={setEvents} />
      <FormFooter onCancel={onCancel} submitLabel={submitLabel} pending={pending} error={error} disabled={events.length === 0} />
    </form>
  );
}

export function WebhooksPanel({ initialWebhooks }: { initialWebhooks: WebhookView[] }) {
  const qc = useQueryClient();
  const hooks = useQuery({ ...queries.webhooks(), initialData: initialWebhooks });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<WebhookView | null>(null);
  const [rotating, setRotating] = useState<WebhookView | null>(null);
  const [deleting, setDeleting] = useState<WebhookView | null>(null);
  const [rotated, setRotated] = useState<Created | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // every webhook query (list and delivery logs) starts with "webhooks"
  const invalidate = () => qc.invalidateQueries({ queryKey: ["webhooks"] });

  const create = useMutation({
    mutationFn: (v: FormValues) => apiFetch<Created>("/webhooks", { method: "POST", body: v }),
    onSuccess: invalidate,
  });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: string; name?: string; url?: string; events?: string[]; enabled?: boolean }) =>
      apiFetch<WebhookView>(`/webhooks/${id}`, { method: "PATCH", body }),
    onSuccess: () => {
      setEditing(null);
      return invalidate();
    },
  });
  const rotate = useMutation({
    mutationFn: (id: string) => apiFetch<Created>(`/webhooks/${id}/rotate-secret`, { method: "POST" }),
    onSuccess: (data) => {
      setRotating(null);
      setRotated(data);
      return invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string }>(`/webhooks/${id}`, { method: "DELETE" }),
    onSuccess: (data) => {
      setDeleting(null);
      if (logOf === data.id) setLogOf(null);
      return invalidate();
    },
  });
  const test = useMutation({
    mutationFn: (hook: WebhookView) => apiFetch<WebhookDeliveryView>(`/webhooks/${hook.id}/test`, { method: "POST" }),
    onSuccess: (_d, hook) => {
      setNotice(`Test event queued for “${hook.name}”; see its deliveries.`);
      setLogOf(hook.id);
      return invalidate();
    },
    onError: (e, hook) => setNotice(`Could not send a test to “${hook.name}”: ${e.message}`),
  });

  const closeCreate = () => {
    setCreating(false);
    create.reset();
  };
  const selected = hooks.data?.find((h) => h.id === logOf) ?? null;

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between gap-4">
        <p role="status" className="text-sm text-slate-600" data-testid="webhook-notice">
          {notice}
        </p>
        <Button onClick={() => setCreating(true)}>Add webhook</Button>
      </div>
      {hooks.isError ? (
        <ErrorState error={hooks.error} onRetry={() => hooks.refetch()} />
      ) : hooks.isPending ? (
        <LoadingState />
      ) : hooks.data.length === 0 ? (
        <EmptyState title="No webhooks">Add one to send approval requests, decisions, kills and alerts to your systems.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <DataTable columns={["Name", "URL", "Events", "Status", "Secret", { label: "", align: "right" }]} testId="webhooks-table">
            {hooks.data.map((h) => (
              <tr key={h.id} data-testid={`webhook-row-${h.name}`} className={logOf === h.id ? "bg-slate-50" : undefined}>
                <td className="px-4 py-2 font-medium">{h.name}</td>
                <td className="max-w-[16rem] truncate px-4 py-2 font-mono text-xs text-slate-600" title={h.url}>
                  {h.url}
                </td>
                <td className="px-4 py-2 text-xs text-slate-600">{h.events.includes("*") ? "all events" : h.events.join(", ")}</td>
                <td className="px-4 py-2">
                  <Badge tone={h.enabled ? "green" : "gray"}>{h.enabled ? "enabled" : "disabled"}</Badge>
                </td>
                <td className="whitespace-nowrap px-4 py-2 font-mono text-slate-500">whsec_…{h.secretLast4}</td>
                <td className="px-4 py-2">
                  {/* six actions: they wrap onto two lines rather than push the table wider than the page */}
                  <div className="flex min-w-[15rem] flex-wrap justify-end gap-1">
                    <Button variant="ghost" size="sm" onClick={() => setLogOf(logOf === h.id ? null : h.id)}>
                      Deliveries
                    </Button>
                    <Button variant="ghost" size="sm" disabled={!h.enabled || test.isPending} onClick={() => test.mutate(h)}>
                      Send test
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => setEditing(h)}>
                      Edit
                    </Button>
                    <Button variant="ghost" size="sm" disabled={update.isPending} onClick={() => update.mutate({ id: h.id, enabled: !h.enabled })}>
                      {h.enabled ? "Disable" : "Enable"}
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => setRotating(h)}>
                      Rotate secret
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => setDeleting(h)}>
                      Delete
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}

      {selected ? <DeliveryLog webhook={selected} onClose={() => setLogOf(null)} /> : null}

      <Dialog open={creating} onClose={closeCreate} title={create.data ? "Webhook added" : "Add webhook"} wide>
        {create.data ? (
          <div className="space-y-4">
            <SecretReveal label="signing secret" value={create.data.secret} stored={SEALED} />
            <p className="text-sm text-slate-600">
              Each delivery carries <code>Deputy-Webhook-Signature: v1=</code>hex HMAC-SHA-256 of <code>timestamp.body</code> under this secret, with
              the timestamp in <code>Deputy-Webhook-Timestamp</code>.
            </p>
            <DoneButton onDone={closeCreate} />
          </div>
        ) : (
          <WebhookForm
            initial={{ name: "", url: "", events: ["approval.requested", "approval.decided"] }}
            submitLabel="Add webhook"
            pending={create.isPending}
            error={create.error?.message}
            onSubmit={(v) => create.mutate(v)}
            onCancel={closeCreate}
          />
        )}
      </Dialog>

      <Dialog
        open={editing !== null}
        onClose={() => {
          setEditing(null);
          update.reset();
        }}
        title={`Edit “${editing?.name ?? ""}”`}
        wide
      >
        {editing ? (
          <WebhookForm
            initial={{ name: editing.name, url: editing.url, events: editing.events }}
            submitLabel="Save"
            pending={update.isPending}
            error={update.error?.message}
            onSubmit={(v) => update.mutate({ id: editing.id, ...v })}
            onCancel={() => {
              setEditing(null);
              update.reset();
            }}
          />
        ) : null}
      </Dialog>

      <Dialog open={rotated !== null} onClose={() => setRotated(null)} title="New signing secret">
        {rotated ? (
          <div className="space-y-4">
            <SecretReveal label="signing secret" value={rotated.secret} stored={SEALED} />
            <DoneButton onDone={() => setRotated(null)} />
          </div>
        ) : null}
      </Dialog>

      <ConfirmMutation
        target={rotating}
        mutation={rotate}
        title={`Rotate the secret of “${rotating?.name ?? ""}”?`}
        body="Deliveries are signed with a new secret from now on, retries of earlier events included. Until the receiver has the new secret, it will reject them (they are retried for about an hour)."
        confirmLabel="Rotate secret"
        onClose={() => setRotating(null)}
      />
      <ConfirmMutation
        target={deleting}
        mutation={remove}
        title={`Delete “${deleting?.name ?? ""}”?`}
        body="Deputy stops sending to this URL at once; queued deliveries are dropped and the delivery log is deleted. This cannot be undone."
        confirmLabel="Delete webhook"
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}
