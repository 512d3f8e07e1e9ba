"use client";
// The node types: list with icons, add one, change an icon, delete a custom type (the API refuses while nodes use it).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { Dialog, FormFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { EmptyState, ListStates } from "@/components/ui/states";
import type { NodeTypeView } from "@/lib/resources/node-type-view";
import { NodeIcon } from "../../_components/node-icon";

/** null: closed; "new": adding a type; a type: changing its icon */
type Editing = NodeTypeView | "new" | null;

export function NodeTypesTable({ initialNodeTypes, icons, canWrite }: { initialNodeTypes: NodeTypeView[]; icons: string[]; canWrite: boolean }) {
  const qc = useQueryClient();
  const types = useQuery({ ...queries.nodeTypes(), initialData: initialNodeTypes });
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<NodeTypeView | null>(null);
  const remove = useMutation({
    mutationFn: (name: string) => apiFetch<{ name: string }>(`/node-types/${encodeURIComponent(name)}`, { method: "DELETE" }),
    onSuccess: () => {
      setDeleting(null);
      return qc.invalidateQueries({ queryKey: queries.nodeTypes().queryKey });
    },
  });

  return (
    <Card
      title="Node types"
      testId="node-types"
      actions={
        canWrite ? (
          <Button size="sm" onClick={() => setEditing("new")}>
            New type
          </Button>
        ) : null
      }
    >
      <ListStates
        query={types}
        empty={<EmptyState title="No node types">The built-in types appear once the tree is first read.</EmptyState>}
      >
        {(rows) => (
          <DataTable columns={["Type", "Icon", "Added", ""]} testId="node-types-table">
            {rows.map((t) => (
              <tr key={t.name} data-testid={`node-type-row-${t.name}`}>
                <td className="px-4 py-2">
                  <span className="flex items-center gap-2">
                    <NodeIcon icon={t.icon} className="text-slate-600" />
                    <span className="font-medium">{t.name}</span>
                    {t.builtIn ? <Badge tone="blue">built-in</Badge> : null}
                  </span>
                </td>
                <td className="px-4 py-2 font-mono text-xs text-slate-600">{t.icon}</td>
                <td className="px-4 py-2 text-slate-600">{formatDateTime(t.createdAt)}</td>
                <td className="space-x-1 whitespace-nowrap px-4 py-2 text-right">
                  {canWrite ? (
                    <>
                      <Button variant="ghost" size="sm" aria-label={`Change the icon of ${t.name}`} onClick={() => setEditing(t)}>
                        Change icon
                      </Button>
                      {t.builtIn ? null : (
                        <Button variant="ghost" size="sm" aria-label={`Delete type ${t.name}`} onClick={() => setDeleting(t)}>
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

      {canWrite ? (
        <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "New node type" : `Icon of ${editing?.name ?? ""}`}>
          {/* keyed so that each opening starts from the type as it is */}
          {editing !== null ? (
            <NodeTypeForm key={editing === "new" ? "new" : editing.name} type={editing === "new" ? null : editing} icons={icons} onClose={() => setEditing(null)} />
          ) : null}
        </Dialog>
      ) : null}
      <ConfirmMutation
        target={deleting ? { ...deleting, id: deleting.name } : null}
        mutation={remove}
        onClose={() => setDeleting(null)}
        title={`Delete node type ${deleting?.name ?? ""}?`}
        body="New nodes can no longer take it. The API refuses while any node carries this type: delete those nodes first."
        confirmLabel="Delete type"
      />
    </Card>
  );
}

function NodeTypeForm({ type, icons, onClose }: { type: NodeTypeView | null; icons: string[]; onClose: () => void }) {
  const qc = useQueryClient();
  const [icon, setIcon] = useState(type?.icon ?? "folder");
  const save = useMutation({
    mutationFn: (body: { name?: string; icon: string }) =>
      type
        ? apiFetch<NodeTypeView>(`/node-types/${encodeURIComponent(type.name)}`, { method: "PATCH", body: { icon: body.icon } })
        : apiFetch<NodeTypeView>("/node-types", { method: "POST", body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queries.nodeTypes().queryKey });
      onClose();
    },
  });
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ name: String(new FormData(e.currentTarget).get("name") ?? ""), icon });
      }}
    >
      {type ? null : (
        <Field label="Name" hint="Lower-case letters, digits and dashes, starting with a letter. Nodes carry it: it cannot change later.">
          <Input name="name" required maxLength={40} pattern="[a-z][a-z0-9\-]*" placeholder="dataset" autoFocus autoComplete="off" spellCheck={false} />
        </Field>
      )}
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Icon</legend>
        <div className="grid grid-cols-7 gap-1.5" role="radiogroup" aria-label="Icon">
          {icons.map((name) => (
            <label
              key={name}
              title={name}
              className={`flex cursor-pointer flex-col items-center gap-1 rounded-md border px-1 py-2 text-[10px] text-slate-600 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand ${
                icon === name ? "border-brand bg-blue-50 text-brand" : "border-slate-200 hover:bg-slate-50"
              }`}
            >
              <input type="radio" name="icon" value={name} checked={icon === name} onChange={() => setIcon(name)} className="sr-only" aria-label={name} />
              <NodeIcon icon={name} />
              <span className="max-w-full truncate">{name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <FormFooter onCancel={onClose} submitLabel={type ? "Save icon" : "Add type"} pendingLabel="Saving…" pending={save.isPending} error={save.error?.message} />
    </form>
  );
}
