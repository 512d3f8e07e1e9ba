"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable, FormError } from "@/components/ui/data-table";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { EmptyState, ListStates } from "@/components/ui/states";
import type { ToolView } from "@/lib/tools/tool-view";
import { RiskBadge } from "./risk-badge";

/** The parameter names a tool's JSON schema lists, if any. */
function paramNames(schema: Record<string, unknown>): string[] {
  const props = schema.properties;
  return props && typeof props === "object" && !Array.isArray(props) ? Object.keys(props) : [];
}

export function ToolsTable({ initialTools, canWrite }: { initialTools: ToolView[]; canWrite: boolean }) {
  const qc = useQueryClient();
  const tools = useQuery({ ...queries.tools(), initialData: initialTools });
  const [editing, setEditing] = useState<ToolView | "new" | null>(null);
  const [deleting, setDeleting] = useState<ToolView | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string }>(`/tools/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => {
      setDeleting(null);
      return qc.invalidateQueries({ queryKey: queries.catalogAll().queryKey });
    },
  });

  return (
    <Card
      title="Tools"
      testId="tools"
      actions={
        canWrite ? (
          <Button size="sm" onClick={() => setEditing("new")}>
            New tool
          </Button>
        ) : null
      }
    >
      <ListStates
        query={tools}
        empty={
          <EmptyState title="No tools yet">
            {canWrite ? "Add the tools your agents call, such as github.push, with their risk." : "An admin adds the tools agents call here."}
          </EmptyState>
        }
      >
        {(rows) => (
          <DataTable columns={["Tool", "Risk", "Description", "Approval", "In roles", ""]} testId="tools-table">
            {rows.map((t) => {
              const params = paramNames(t.paramsSchema);
              return (
                <tr key={t.id} data-testid={`tool-row-${t.name}`} className="align-top">
                  <td className="px-4 py-2">
                    <code className="font-medium">{t.name}</code>
                    {params.length ? <div className="mt-0.5 text-xs text-slate-500">params: {params.join(", ")}</div> : null}
                  </td>
                  <td className="px-4 py-2">
                    <RiskBadge risk={t.risk} />
                  </td>
                  <td className="max-w-md px-4 py-2 text-slate-600">{t.description || <span className="text-slate-400">—</span>}</td>
                  <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-600" data-testid="tool-approval">
                    {approvalSummary(t)}
                  </td>
                  <td className="px-4 py-2">
                    <span className="flex flex-wrap gap-1">
                      {t.roles.length ? (
                        t.roles.map((r) => (
                          <span key={r} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                            {r}
                          </span>
                        ))
                      ) : (
                        <span className="text-xs text-slate-400">none</span>
                      )}
                    </span>
                  </td>
                  <td className="space-x-1 whitespace-nowrap px-4 py-2 text-right">
                    {canWrite ? (
                      <>
                        <Button variant="ghost" size="sm" aria-label={`Edit tool ${t.name}`} onClick={() => setEditing(t)}>
                          Edit
                        </Button>
                        <Button variant="ghost" size="sm" aria-label={`Delete tool ${t.name}`} onClick={() => setDeleting(t)}>
                          Delete
                        </Button>
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </ListStates>

      {canWrite ? <ToolDialog editing={editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete tool ${deleting?.name ?? ""}?`}
        body={
          <>
            <p>
              It leaves the catalog
              {deleting?.roles.length ? ` and the roles that hold it (${deleting.roles.join(", ")}): their grants no longer cover it` : ""}. Decisions about it
              answer deny from now on.
            </p>
            <p className="mt-2">The API refuses while a grant of this tool alone is in force: revoke those first.</p>
          </>
        }
        confirmLabel="Delete tool"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </Card>
  );
}

const BUILT_IN_ROLES_OF = {
  read: "Viewer, Editor and Deployer",
  write: "Editor and Deployer",
  irreversible: "Deployer (each call still needs a person's approval)",
} as const;

type Risk = keyof typeof BUILT_IN_ROLES_OF;
type ApprovalPolicy = ToolView["approvalPolicy"];

const POLICY_LABEL: Record<ApprovalPolicy, string> = {
  any: "any approver",
  not_subject: "an approver other than the user the agent acts for",
  quorum: "several distinct approvers",
};

/** "10 min", "1 h 30 min", "45 s": the approval wait, as people say it. */
export function formatTtl(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds > 3600) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function approvalSummary(t: Pick<ToolView, "approvalPolicy" | "approvalQuorum" | "approvalTtlSeconds">): string {
  const who = t.approvalPolicy === "quorum" ? `${t.approvalQuorum} approvers` : t.approvalPolicy === "not_subject" ? "not the subject" : "any approver";
  return `${who} · ${formatTtl(t.approvalTtlSeconds)}`;
}

/** The body the form sends: everything for a new tool; for an edit, only the fields that changed. */
type ToolBody = {
  name?: string;
  risk?: Risk;
  description?: string;
  paramsSchema?: Record<string, unknown> | null;
  approvalPolicy?: ApprovalPolicy;
  approvalQuorum?: number;
  approvalTtlSeconds?: number;
};

/** The schema text as the form shows it: pretty JSON, or empty when the tool takes any parameters. */
const schemaText = (schema: Record<string, unknown> | undefined) => (schema && Object.keys(schema).length ? JSON.stringify(schema, null, 2) : "");

/** Parses the schema field the way the API will judge it first: a JSON object (or empty, for none). */
function parseSchema(text: string): { ok: true; value: Record<string, unknown> | null } | { ok: false; error: string } {
  if (!text.trim()) return { ok: true, value: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The parameter schema is not valid JSON: ${e instanceof Error ? e.message : "syntax error"}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: 'The parameter schema must be a JSON object with "type": "object"' };
  return { ok: true, value: value as Record<string, unknown> };
}

function ToolDialog({ editing, onClose }: { editing: ToolView | "new" | null; onClose: () => void }) {
  return (
    <Dialog open={editing !== null} onClose={onClose} title={editing === "new" ? "New tool" : editing ? `Edit tool ${editing.name}` : ""} wide>
      {/* keyed so that each opening starts from the tool as it is */}
      {editing !== null ? <ToolForm key={editing === "new" ? "new" : editing.id} tool={editing === "new" ? null : editing} onClose={onClose} /> : null}
    </Dialog>
  );
}

function ToolForm({ tool, onClose }: { tool: ToolView | null; onClose: () => void }) {
  const qc = useQueryClient();
  const [risk, setRisk] = useState<Risk>(tool?.risk ?? "read");
  const [schema, setSchema] = useState(() => schemaText(tool?.paramsSchema));
  const [policy, setPolicy] = useState<ApprovalPolicy>(tool?.approvalPolicy ?? "any");
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: ToolBody) =>
      tool ? apiFetch<ToolView>(`/tools/${encodeURIComponent(tool.id)}`, { method: "PATCH", body }) : apiFetch<ToolView>("/tools", { method: "POST", body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queries.catalogAll().queryKey });
      onClose();
    },
  });
  const parsed = parseSchema(schema);

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        if (!parsed.ok) return setLocalError(parsed.error);
        const quorum = Number(f.get("approvalQuorum") ?? 1);
        const ttl = Number(f.get("approvalTtlSeconds"));
        setLocalError(null);
        const next: ToolBody = {
          risk,
          description: String(f.get("description") ?? ""),
          paramsSchema: parsed.value,
          approvalPolicy: policy,
          approvalQuorum: policy === "quorum" ? quorum : 1,
          approvalTtlSeconds: ttl,
        };
        if (!tool) {
          save.mutate({ ...next, name: String(f.get("name") ?? ""), paramsSchema: parsed.value ?? undefined });
          return;
        }
        // send only what changed: an unchanged schema is not re-checked against the grants that use the tool
        const changed: ToolBody = {};
        if (next.risk !== tool.risk) changed.risk = next.risk;
        if (next.description !== tool.description) changed.description = next.description;
        if (JSON.stringify(next.paramsSchema ?? {}) !== JSON.stringify(tool.paramsSchema)) changed.paramsSchema = next.paramsSchema;
        if (next.approvalPolicy !== tool.approvalPolicy) changed.approvalPolicy = next.approvalPolicy;
        if (next.approvalQuorum !== tool.approvalQuorum) changed.approvalQuorum = next.approvalQuorum;
        if (next.approvalTtlSeconds !== tool.approvalTtlSeconds) changed.approvalTtlSeconds = next.approvalTtlSeconds;
        if (Object.keys(changed).length === 0) return onClose();
        save.mutate(changed);
      }}
    >
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
        {tool ? (
          <div className="flex flex-col gap-1">
            <span className="text-sm font-medium text-slate-700">Name</span>
            <code className="py-2 text-sm">{tool.name}</code>
            <span className="text-xs text-slate-500">Tokens carry it in their scope: it cannot change.</span>
          </div>
        ) : (
          <Field label="Name" hint="What agents ask for in their scope: lower-case words separated by dots. It cannot change later.">
            <Input name="name" required maxLength={100} placeholder="github.push" autoFocus autoComplete="off" spellCheck={false} />
          </Field>
        )}
        <Field label="Risk">
          <Select name="risk" value={risk} onChange={(e) => setRisk(e.target.value as Risk)}>
            <option value="read">read</option>
            <option value="write">write</option>
            <option value="irreversible">irreversible</option>
          </Select>
        </Field>
      </div>
      <p className="text-xs text-slate-500" data-testid="risk-hint">
        Built-in roles follow risks: this tool {tool ? (risk === tool.risk ? "stays in" : "moves to") : "joins"} {BUILT_IN_ROLES_OF[risk]}
        {tool && risk !== tool.risk ? ", and decisions about it change at once" : ""}.
      </p>
      <Field label="Description (optional)">
        <Textarea name="description" rows={2} maxLength={500} defaultValue={tool?.description} />
      </Field>
      <Field label="Parameters JSON schema (optional)" hint='An object schema; grants may constrain only the properties it lists, by their "type". Empty: any parameters.'>
        <Textarea
          value={schema}
          onChange={(e) => setSchema(e.target.value)}
          rows={7}
          spellCheck={false}
          aria-invalid={!parsed.ok}
          className="font-mono text-xs"
          placeholder={'{\n  "type": "object",\n  "properties": { "branch": { "type": "string" } }\n}'}
        />
      </Field>
      {!parsed.ok && schema.trim() ? (
        <p className="text-xs text-red-700" data-testid="schema-error">
          {parsed.error}
        </p>
      ) : null}
      <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-700">Approval</legend>
        <p className="text-xs text-slate-500">
          Used for calls that need a person: every call of an irreversible tool, and calls under grants that require approval.
        </p>
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Who approves">
            <Select name="approvalPolicy" value={policy} onChange={(e) => setPolicy(e.target.value as ApprovalPolicy)}>
              <option value="any">any approver</option>
              <option value="not_subject">not the subject</option>
              <option value="quorum">a quorum</option>
            </Select>
          </Field>
          <Field label="Approvers needed">
            <Input
              name="approvalQuorum"
              type="number"
              min={1}
              max={20}
              step={1}
              required
              disabled={policy !== "quorum"}
              defaultValue={tool?.approvalPolicy === "quorum" ? tool.approvalQuorum : 2}
            />
          </Field>
          <Field label="Wait (seconds)" hint="60 to 86400">
            <Input name="approvalTtlSeconds" type="number" min={60} max={86400} step={1} required defaultValue={tool?.approvalTtlSeconds ?? 600} />
          </Field>
        </div>
        <p className="text-xs text-slate-500">A request waits for {POLICY_LABEL[policy]}, then expires.</p>
      </fieldset>
      <FormError>{localError ?? save.error?.message}</FormError>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : tool ? "Save" : "Create tool"}
        </Button>
      </div>
    </form>
  );
}
