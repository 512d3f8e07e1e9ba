"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Dialog, FormFooter } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import type { AgentView } from "@/lib/agents/agent-view";
import { DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS } from "@/lib/agents/limits";

type Created = { agent: AgentView; clientSecret: string | null };
type Body = {
  name: string;
  description?: string;
  owner: string;
  kind: string;
  tokenTtlSeconds: number;
  allowedScopes: string;
};

export function CreateAgentDialog({
  open,
  onClose,
  users,
  defaultOwnerId,
}: {
  open: boolean;
  onClose: () => void;
  users: { id: string; email: string }[];
  defaultOwnerId: string;
}) {
  const qc = useQueryClient();
  // the secret lives in this state only while the dialog shows it; closing drops it
  const [result, setResult] = useState<Created | null>(null);
  const create = useMutation({
    mutationFn: (body: Body) => apiFetch<Created>("/agents", { method: "POST", body }),
    onSuccess: (r) => {
      setResult(r);
      return qc.invalidateQueries({ queryKey: queries.agentsAll().queryKey });
    },
  });
  const close = () => {
    setResult(null);
    create.reset();
    onClose();
  };

  return (
    <Dialog open={open} onClose={close} title={result ? "Agent created" : "New agent"}>
      {result ? (
        <div className="space-y-4" data-testid="agent-created">
          <p className="text-sm">
            <strong>{result.agent.name}</strong> is registered. Configure it with this client id and secret.
          </p>
          <div className="space-y-1">
            <p className="text-sm font-medium text-slate-700">client_id</p>
            <code data-testid="client-id" className="block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-sm">
              {result.agent.clientId}
            </code>
          </div>
          {result.clientSecret ? <SecretReveal label="client secret" value={result.clientSecret} /> : null}
          <div className="flex justify-end gap-2">
            <Link
              href={`/agents/${result.agent.id}`}
              onClick={close}
              className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
            >
              Open agent
            </Link>
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const description = String(f.get("description") ?? "").trim();
            create.mutate({
              name: String(f.get("name") ?? ""),
              owner: String(f.get("owner") ?? ""),
              kind: String(f.get("kind") ?? "autonomous"),
              tokenTtlSeconds: Number(f.get("tokenTtlSeconds")),
              allowedScopes: String(f.get("allowedScopes") ?? ""),
              ...(description ? { description } : {}),
            });
          }}
        >
          <Field label="Name">
            <Input name="name" required maxLength={100} autoFocus />
          </Field>
          <Field label="Description (optional)">
            <Textarea name="description" rows={2} maxLength={500} />
          </Field>
          <Field label="Owner" hint="The person who answers for this agent.">
            <Select name="owner" defaultValue={users.some((u) => u.id === defaultOwnerId) ? defaultOwnerId : users[0]?.id}>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Kind" hint="Autonomous agents act for themselves; the others act for a signed-in user.">
            <Select name="kind" defaultValue="autonomous">
              <option value="autonomous">autonomous</option>
              <option value="on_behalf_of">on behalf of a user</option>
            </Select>
          </Field>
          <Field label="Token lifetime (seconds)" hint={`From ${MIN_TOKEN_TTL_SECONDS} to ${MAX_TOKEN_TTL_SECONDS}; short is safer.`}>
            <Input
              name="tokenTtlSeconds"
              type="number"
              required
              min={MIN_TOKEN_TTL_SECONDS}
              max={MAX_TOKEN_TTL_SECONDS}
              step={1}
              defaultValue={DEFAULT_TOKEN_TTL_SECONDS}
            />
          </Field>
          <Field label="Allowed scopes" hint="Tool names it may ask for, separated by spaces, e.g. github.read github.push">
            <Input name="allowedScopes" placeholder="github.read github.push" />
          </Field>
          <FormFooter onCancel={close} submitLabel="Create agent" pendingLabel="Creating…" pending={create.isPending} error={create.error?.message} />
        </form>
      )}
    </Dialog>
  );
}
