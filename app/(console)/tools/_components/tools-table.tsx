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
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
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
  const [creating, setCreating] = useState(false);
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
          <Button size="sm" onClick={() => setCreating(true)}>
            New tool
          </Button>
        ) : null
      }
    >
      {tools.isError ? (
        <div className="p-4">
          <ErrorState error={tools.error} onRetry={() => tools.refetch()} />
        </div>
      ) : tools.isPending ? (
        <LoadingState />
      ) : tools.data.length === 0 ? (
        <div className="p-4">
          <EmptyState title="No tools yet">
            {canWrite ? "Add the tools your agents call, such as github.push, with their risk." : "An admin adds the tools agents call here."}
          </EmptyState>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <DataTable columns={["Tool", "Risk", "Description", "In roles", ""]} testId="tools-table">
            {tools.data.map((t) => {
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
                  <td className="px-4 py-2 text-right">
                    {canWrite ? (
                      <Button variant="ghost" size="sm" aria-label={`Delete tool ${t.name}`} onClick={() => setDeleting(t)}>
                        Delete
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      )}

      {canWrite ? <NewToolDialog open={creating} onClose={() => setCreating(false)} /> : null}
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

function NewToolDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [risk, setRisk] = useState<keyof typeof BUILT_IN_ROLES_OF>("read");
  const [schemaText, setSchemaText] = useState("");
  const [schemaError, setSchemaError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; risk: string; description: string; paramsSchema?: unknown }) => apiFetch<ToolView>("/tools", { method: "POST", body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queries.catalogAll().queryKey });
      close();
    },
  });
  function close() {
    create.reset();
    setRisk("read");
    setSchemaText("");
    setSchemaError(null);
    onClose();
  }
  return (
    <Dialog open={open} onClose={close} title="New tool" wide>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          let paramsSchema: unknown;
          if (schemaText.trim()) {
            try {
              paramsSchema = JSON.parse(schemaText);
            } catch {
              setSchemaError("The parameter schema is not valid JSON");
              return;
            }
            if (typeof paramsSchema !== "object" || paramsSchema === null || Array.isArray(paramsSchema)) {
              setSchemaError('The parameter schema must be a JSON object with "type": "object"');
              return;
            }
          }
          setSchemaError(null);
          create.mutate({
            name: String(f.get("name") ?? ""),
            risk,
            description: String(f.get("description") ?? ""),
            ...(paramsSchema !== undefined ? { paramsSchema } : {}),
          });
        }}
      >
        <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <Field label="Name" hint="What agents ask for in their scope: lower-case words separated by dots. It cannot change later.">
            <Input name="name" required maxLength={100} placeholder="github.push" autoFocus autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="Risk">
            <Select name="risk" value={risk} onChange={(e) => setRisk(e.target.value as keyof typeof BUILT_IN_ROLES_OF)}>
              <option value="read">read</option>
              <option value="write">write</option>
              <option value="irreversible">irreversible</option>
            </Select>
          </Field>
        </div>
        <p className="text-xs text-slate-500">Built-in roles follow risks: this tool joins {BUILT_IN_ROLES_OF[risk]} at once.</p>
        <Field label="Description (optional)">
          <Textarea name="description" rows={2} maxLength={500} />
        </Field>
        <Field label="Parameters JSON schema (optional)" hint="Grants may constrain only the properties it lists. Empty: any parameters.">
          <Textarea
            value={schemaText}
            onChange={(e) => setSchemaText(e.target.value)}
            rows={6}
            spellCheck={false}
            className="font-mono text-xs"
            placeholder={'{\n  "type": "object",\n  "properties": { "branch": { "type": "string" } }\n}'}
          />
        </Field>
        <FormError>{schemaError ?? create.error?.message}</FormError>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create tool"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
