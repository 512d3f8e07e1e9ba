"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { KindLabel } from "@/components/agent-badges";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Dialog, FormFooter } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import type { AgentView } from "@/lib/agents/agent-view";
import { MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS } from "@/lib/agents/limits";
import { Card, Row } from "@/components/ui/card";

type Patch = { description: string | null; allowedScopes: string; tokenTtlSeconds: number; canIntrospect: boolean; redirectUris: string };

export function AgentSettings({ agent, canWrite }: { agent: AgentView; canWrite: boolean }) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const update = useMutation({
    mutationFn: (patch: Patch) => apiFetch<AgentView>(`/agents/${agent.id}`, { method: "PATCH", body: patch }),
    onSuccess: () => {
      setEditing(false);
      return qc.invalidateQueries({ queryKey: queries.agentsAll().queryKey });
    },
  });
  const close = () => {
    setEditing(false);
    update.reset();
  };

  return (
    <Card
      title="Details"
      testId="agent-details"
      actions={
        canWrite ? (
          <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
            Edit details
          </Button>
        ) : null
      }
    >
      <div className="divide-y divide-slate-100">
        <Row label="client_id">
          <code className="break-all font-mono text-xs" data-testid="agent-client-id">
            {agent.clientId}
          </code>
        </Row>
        <Row label="Owner">{agent.owner.email}</Row>
        <Row label="Kind">
          <KindLabel kind={agent.kind} />
        </Row>
        <Row label="Token lifetime">{agent.tokenTtlSeconds} seconds</Row>
        <Row label="Allowed scopes">
          {agent.allowedScopes.length ? (
            <span className="flex flex-wrap justify-end gap-1" data-testid="agent-scopes">
              {agent.allowedScopes.map((s) => (
                <code key={s} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                  {s}
                </code>
              ))}
            </span>
          ) : (
            <span className="text-slate-400">none</span>
          )}
        </Row>
        <Row label="May introspect tokens">{agent.canIntrospect ? "yes" : "no"}</Row>
        <Row label="Redirect URIs">
          {agent.redirectUris.length ? (
            <span className="flex flex-col items-end gap-1" data-testid="agent-redirect-uris">
              {agent.redirectUris.map((u) => (
                <code key={u} className="break-all text-xs">
                  {u}
                </code>
              ))}
            </span>
          ) : (
            <span className="text-slate-400">none</span>
          )}
        </Row>
        <Row label="Created">{formatDateTime(agent.createdAt)}</Row>
        <Row label="Last seen">{formatDateTime(agent.lastSeenAt)}</Row>
      </div>

      <Dialog open={editing} onClose={close} title={`Edit ${agent.name}`}>
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            update.mutate({
              description: String(f.get("description") ?? "").trim() || null,
              allowedScopes: String(f.get("allowedScopes") ?? ""),
              tokenTtlSeconds: Number(f.get("tokenTtlSeconds")),
              canIntrospect: f.get("canIntrospect") === "on",
              redirectUris: String(f.get("redirectUris") ?? ""),
            });
          }}
        >
          <Field label="Description">
            <Textarea name="description" rows={3} maxLength={500} defaultValue={agent.description ?? ""} />
          </Field>
          <Field label="Allowed scopes" hint="Tool names, separated by spaces. Tokens already issued keep their scopes until they expire.">
            <Input name="allowedScopes" defaultValue={agent.allowedScopes.join(" ")} />
          </Field>
          <Field label="Token lifetime (seconds)" hint={`From ${MIN_TOKEN_TTL_SECONDS} to ${MAX_TOKEN_TTL_SECONDS}.`}>
            <Input
              name="tokenTtlSeconds"
              type="number"
              required
              min={MIN_TOKEN_TTL_SECONDS}
              max={MAX_TOKEN_TTL_SECONDS}
              step={1}
              defaultValue={agent.tokenTtlSeconds}
            />
          </Field>
          <Field
            label="Redirect URIs"
            hint="For agents that act on behalf of people: where the consent screen sends the person back, matched exactly. Separated by spaces; https, or http only for localhost."
          >
            <Input name="redirectUris" defaultValue={agent.redirectUris.join(" ")} />
          </Field>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="canIntrospect" defaultChecked={agent.canIntrospect} />
            May introspect tokens (for resource servers and gateways)
          </label>
          <FormFooter onCancel={close} submitLabel="Save" pendingLabel="Saving…" pending={update.isPending} error={update.error?.message} />
        </form>
      </Dialog>
    </Card>
  );
}
