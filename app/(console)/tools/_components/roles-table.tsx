"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable, FormError } from "@/components/ui/data-table";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { EmptyState, ErrorState, ListStates, LoadingState } from "@/components/ui/states";
import type { RoleView } from "@/lib/roles/role-view";
import { RiskBadge } from "./risk-badge";

/** null: closed; "new": creating; a role: editing it */
type Editing = RoleView | "new" | null;

export function RolesTable({ initialRoles, canWrite }: { initialRoles: RoleView[]; canWrite: boolean }) {
  const qc = useQueryClient();
  const roles = useQuery({ ...queries.roles(), initialData: initialRoles });
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<RoleView | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string }>(`/roles/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => {
      setDeleting(null);
      return qc.invalidateQueries({ queryKey: queries.catalogAll().queryKey });
    },
  });

  return (
    <Card
      title="Roles"
      testId="roles"
      actions={
        canWrite ? (
          <Button size="sm" onClick={() => setEditing("new")}>
            New role
          </Button>
        ) : null
      }
    >
      <ListStates
        query={roles}
        empty={<EmptyState title="No roles">The built-in roles appear once the catalog is first read.</EmptyState>}
      >
        {(rows) => (
          <DataTable columns={["Role", "Description", "Tools", "Grants", ""]} testId="roles-table">
            {rows.map((r) => (
              <tr key={r.id} data-testid={`role-row-${r.name}`} className="align-top">
                <td className="px-4 py-2">
                  <span className="flex items-center gap-2">
                    <span className="font-medium">{r.name}</span>
                    {r.builtIn ? <Badge tone="blue">built-in</Badge> : null}
                  </span>
                </td>
                <td className="max-w-sm px-4 py-2 text-slate-600">{r.description || <span className="text-slate-400">—</span>}</td>
                <td className="px-4 py-2">
                  <span className="flex max-w-lg flex-wrap gap-1">
                    {r.tools.length ? (
                      r.tools.map((t) => (
                        <code key={t.id} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700" title={`${t.risk} risk`}>
                          {t.name}
                        </code>
                      ))
                    ) : (
                      <span className="text-xs text-slate-400">{r.builtIn && r.name === "Approver" ? "none: it approves, it does not call" : "none"}</span>
                    )}
                  </span>
                </td>
                <td className="px-4 py-2 tabular-nums text-slate-600">{r.grantCount}</td>
                <td className="space-x-1 whitespace-nowrap px-4 py-2 text-right">
                  {canWrite ? (
                    <>
                      <Button variant="ghost" size="sm" aria-label={`Edit role ${r.name}`} onClick={() => setEditing(r)}>
                        {r.builtIn ? "Edit description" : "Edit"}
                      </Button>
                      {r.builtIn ? null : (
                        <Button variant="ghost" size="sm" aria-label={`Delete role ${r.name}`} onClick={() => setDeleting(r)}>
                          Delete
                        </Button>
                      )}
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListStates>

      {canWrite ? <RoleDialog editing={editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete role ${deleting?.name ?? ""}?`}
        body={
          deleting && deleting.grantCount > 0
            ? `It is granted ${deleting.grantCount} ${deleting.grantCount === 1 ? "time" : "times"}: the API refuses until those grants are revoked.`
            : "It leaves the catalog. Revoked grants of it go with it; their history stays in the audit trail."
        }
        confirmLabel="Delete role"
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

function RoleDialog({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const title = editing === "new" ? "New role" : editing ? (editing.builtIn ? `Describe ${editing.name}` : `Edit role ${editing.name}`) : "";
  return (
    <Dialog open={editing !== null} onClose={onClose} title={title} wide>
      {/* keyed so that each opening starts from the role as it is */}
      {editing !== null ? <RoleForm key={editing === "new" ? "new" : editing.id} role={editing === "new" ? null : editing} onClose={onClose} /> : null}
    </Dialog>
  );
}

function RoleForm({ role, onClose }: { role: RoleView | null; onClose: () => void }) {
  const qc = useQueryClient();
  const tools = useQuery(queries.tools());
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(role?.tools.map((t) => t.name) ?? []));
  const [filter, setFilter] = useState("");
  const builtIn = role?.builtIn ?? false;
  const save = useMutation({
    mutationFn: (body: { name?: string; description: string; tools?: string[] }) =>
      role ? apiFetch<RoleView>(`/roles/${encodeURIComponent(role.id)}`, { method: "PATCH", body }) : apiFetch<RoleView>("/roles", { method: "POST", body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queries.catalogAll().queryKey });
      onClose();
    },
  });
  const shown = (tools.data ?? []).filter((t) => !filter.trim() || t.name.includes(filter.trim().toLowerCase()));

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const description = String(f.get("description") ?? "");
        save.mutate(builtIn ? { description } : { name: String(f.get("name") ?? ""), description, tools: [...chosen].sort() });
      }}
    >
      {builtIn ? (
        <p className="text-sm text-slate-600">
          {role?.name} is built in: its name is fixed and its tools follow tool risks. Only its description can change.
        </p>
      ) : (
        <Field label="Name">
          <Input name="name" required maxLength={64} defaultValue={role?.name} autoFocus autoComplete="off" />
        </Field>
      )}
      <Field label="Description (optional)">
        <Textarea name="description" rows={2} maxLength={500} defaultValue={role?.description} />
      </Field>
      {builtIn ? null : (
        <fieldset className="space-y-2">
          <legend className="sr-only">Tools</legend>
          <div className="flex items-center justify-between gap-4">
            <span aria-hidden className="text-sm font-medium text-slate-700">
              Tools <span className="font-normal text-slate-500">({chosen.size} chosen)</span>
            </span>
            <Input type="search" aria-label="Filter tools" placeholder="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} className="max-w-48 py-1" />
          </div>
          <div className="max-h-64 overflow-auto rounded-lg border border-slate-200" data-testid="role-tools">
            {tools.isError ? (
              <div className="p-3">
                <ErrorState error={tools.error} onRetry={() => tools.refetch()} />
              </div>
            ) : tools.isPending ? (
              <LoadingState />
            ) : shown.length === 0 ? (
              <p className="p-3 text-sm text-slate-500">{tools.data.length ? "No tool matches the filter." : "The catalog has no tools yet."}</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {shown.map((t) => (
                  <li key={t.id}>
                    <label className="flex items-center gap-3 px-3 py-1.5 text-sm hover:bg-slate-50">
                      <input
                        type="checkbox"
                        checked={chosen.has(t.name)}
                        onChange={(e) =>
                          setChosen((prev) => {
                            const next = new Set(prev);
                            if (e.target.checked) next.add(t.name);
                            else next.delete(t.name);
                            return next;
                          })
                        }
                      />
                      <code className="flex-1">{t.name}</code>
                      <RiskBadge risk={t.risk} />
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </div>
          {role && role.grantCount > 0 ? (
            <p className="text-xs text-amber-800">
              Granted {role.grantCount} {role.grantCount === 1 ? "time" : "times"}: those grants cover the new set of tools at once.
            </p>
          ) : null}
        </fieldset>
      )}
      <FormError>{save.error?.message}</FormError>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : role ? "Save" : "Create role"}
        </Button>
      </div>
    </form>
  );
}
