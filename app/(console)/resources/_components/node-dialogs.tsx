"use client";
// Changes to the tree, each behind a dialog: create (a root or a child), rename, move (after a drag and drop) and
// delete (which offers the cascade when the API refuses a node that still has children or grants).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, FormFooter } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import type { DeleteNodeResult } from "@/lib/resources/delete-node";
import type { NodeView } from "@/lib/resources/node-view";
import type { NodeTypeView } from "@/lib/resources/node-type-view";

type NodeRef = Pick<NodeView, "id" | "name" | "path" | "type" | "parentId">;

const invalidateTree = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: queries.resourcesAll().queryKey });

/** The type a new child most likely has: the built-in type after its parent's (organization, then workspace, ...). */
function suggestedType(types: NodeTypeView[], parent: NodeRef | null): string {
  if (!parent) return types.find((t) => t.name === "organization")?.name ?? types[0]?.name ?? "";
  const builtIns = types.filter((t) => t.builtIn);
  const at = builtIns.findIndex((t) => t.name === parent.type);
  return builtIns[at + 1]?.name ?? parent.type;
}

export function CreateNodeDialog({
  open,
  parent,
  types,
  onCreated,
  onClose,
}: {
  open: boolean;
  parent: NodeRef | null;
  types: NodeTypeView[];
  onCreated: (node: NodeView) => void;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { type: string; name: string; parent: string | null }) => apiFetch<NodeView>("/resources", { method: "POST", body }),
    onSuccess: async (node) => {
      await invalidateTree(qc);
      close();
      onCreated(node);
    },
  });
  function close() {
    create.reset();
    onClose();
  }
  return (
    <Dialog open={open} onClose={close} title={parent ? `New node under ${parent.name}` : "New root node"}>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          create.mutate({ type: String(f.get("type")), name: String(f.get("name") ?? ""), parent: parent?.id ?? null });
        }}
      >
        {parent ? (
          <p className="text-sm text-slate-600">
            Under <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{parent.path}</code>. Grants there and above apply to it at once.
          </p>
        ) : (
          <p className="text-sm text-slate-600">A new top-level node: nothing granted elsewhere applies to it.</p>
        )}
        <Field label="Type">
          <Select name="type" defaultValue={suggestedType(types, parent)}>
            {types.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Name" hint='Unique among its siblings; no "/" or ":".'>
          <Input name="name" required maxLength={100} pattern="[^/:]+" autoFocus autoComplete="off" />
        </Field>
        <FormFooter onCancel={close} submitLabel="Create node" pendingLabel="Creating…" pending={create.isPending} error={create.error?.message} />
      </form>
    </Dialog>
  );
}

export function RenameNodeDialog({ node, onClose }: { node: NodeRef | null; onClose: () => void }) {
  const qc = useQueryClient();
  const rename = useMutation({
    mutationFn: (name: string) => apiFetch<NodeView>(`/resources/${node!.id}`, { method: "PATCH", body: { name } }),
    onSuccess: async () => {
      await invalidateTree(qc);
      close();
    },
  });
  function close() {
    rename.reset();
    onClose();
  }
  return (
    <Dialog open={node !== null} onClose={close} title={`Rename ${node?.name ?? ""}`}>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate(String(new FormData(e.currentTarget).get("name") ?? ""));
        }}
      >
        <p className="text-sm text-slate-600">
          Its id and grants stay. Paths through it change: callers that name it or anything below it by path must use the new name.
        </p>
        <Field label="New name">
          <Input name="name" required maxLength={100} pattern="[^/:]+" defaultValue={node?.name} autoFocus autoComplete="off" />
        </Field>
        <FormFooter onCancel={close} submitLabel="Rename" pendingLabel="Saving…" pending={rename.isPending} error={rename.error?.message} />
      </form>
    </Dialog>
  );
}

export function MoveNodeDialog({
  move,
  onMoved,
  onClose,
}: {
  move: { node: NodeRef; target: NodeRef | null } | null;
  onMoved: (node: NodeView) => void;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: (m: { node: NodeRef; target: NodeRef | null }) =>
      apiFetch<NodeView>(`/resources/${m.node.id}`, { method: "PATCH", body: { parentId: m.target?.id ?? null } }),
    onSuccess: async (node) => {
      await invalidateTree(qc);
      close();
      onMoved(node);
    },
  });
  function close() {
    mutation.reset();
    onClose();
  }
  const node = move?.node;
  const target = move?.target;
  return (
    <ConfirmDialog
      open={move !== null}
      title={target ? `Move ${node?.name} under ${target.name}` : `Make ${node?.name} a root`}
      body={
        <div className="space-y-2" data-testid="move-summary">
          <p>
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{node?.path}</code> and everything below it become{" "}
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{target ? `${target.path}/${node?.name}` : node?.name}</code>.
          </p>
          <p>
            Grants on it and below move with it. Grants inherited from its current ancestors stop applying to it
            {target ? `; grants on ${target.path} and above start to apply` : ""}, at once.
          </p>
        </div>
      }
      confirmLabel="Move"
      pending={mutation.isPending}
      error={mutation.error?.message}
      onConfirm={() => move && mutation.mutate(move)}
      onClose={close}
    />
  );
}

/**
 * Deleting asks once; when the API refuses because the node still has children or grants (409), the dialog says so
 * with the API's message, lists what the cascade would take, and asks again for that larger deletion.
 */
export function DeleteNodeDialog({ node, onDeleted, onClose }: { node: NodeRef | null; onDeleted: (parentId: string | null) => void; onClose: () => void }) {
  const qc = useQueryClient();
  const [conflict, setConflict] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: ({ id, cascade }: { id: string; cascade: boolean }) =>
      apiFetch<DeleteNodeResult>(`/resources/${id}${cascade ? "?cascade=true" : ""}`, { method: "DELETE" }),
    onSuccess: async () => {
      const parentId = node?.parentId ?? null;
      await invalidateTree(qc);
      close();
      onDeleted(parentId);
    },
    onError: (e, { cascade }) => {
      if (!cascade && e instanceof ApiError && e.status === 409) setConflict(e.message);
    },
  });
  function close() {
    setConflict(null);
    remove.reset();
    onClose();
  }
  // the refusal that offered the cascade is shown in the summary, not as an error
  const shownError = remove.variables?.cascade || !conflict ? remove.error?.message : null;
  return (
    <ConfirmDialog
      open={node !== null}
      title={conflict ? `Delete ${node?.path} and everything below it?` : `Delete ${node?.path}?`}
      body={
        conflict && node ? (
          <CascadeSummary node={node} conflict={conflict} />
        ) : (
          <p>The node leaves the tree. This cannot be undone; its history stays in the audit trail.</p>
        )
      }
      confirmLabel={conflict ? "Delete all of it" : "Delete node"}
      pending={remove.isPending}
      error={shownError}
      onConfirm={() => node && remove.mutate({ id: node.id, cascade: conflict !== null })}
      onClose={close}
    />
  );
}

const SHOWN_CHILDREN = 8;

function CascadeSummary({ node, conflict }: { node: NodeRef; conflict: string }) {
  const detail = useQuery(queries.resource(node.id));
  const children = useQuery(queries.resourceChildren(node.id));
  const access = useQuery(queries.resourceAccess(node.id));
  const direct = access.data?.entries.filter((e) => !e.inherited) ?? [];
  const kids = children.data?.nodes ?? [];
  const childCount = detail.data?.childCount ?? kids.length;
  const hidden = childCount - Math.min(kids.length, SHOWN_CHILDREN);
  return (
    <div className="space-y-3" data-testid="cascade-summary">
      <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">{conflict}</p>
      <p className="font-medium">Deleting with cascade removes, at once and for good:</p>
      <ul className="list-disc space-y-1.5 pl-5">
        <li>
          <code className="text-xs">{node.path}</code> itself
        </li>
        {childCount > 0 ? (
          <li>
            its {childCount.toLocaleString("en-US")} {childCount === 1 ? "child" : "children"} and everything below them:{" "}
            <span className="inline-flex flex-wrap gap-1 align-middle">
              {kids.slice(0, SHOWN_CHILDREN).map((k) => (
                <code key={k.id} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                  {k.name}
                  {k.childCount > 0 ? ` (+${k.childCount.toLocaleString("en-US")} below)` : ""}
                </code>
              ))}
              {hidden > 0 ? <span className="text-xs text-slate-500">and {hidden.toLocaleString("en-US")} more</span> : null}
            </span>
          </li>
        ) : null}
        {direct.map((g) => (
          <li key={g.id}>
            the grant of {g.role ? `role ${g.role.name}` : `tool ${g.tool?.name}`} to {g.principal.type} {g.principal.label} on it
          </li>
        ))}
        {childCount > 0 ? <li>every grant on the nodes below it</li> : null}
      </ul>
      {children.isError || access.isError || detail.isError ? <p className="text-xs text-red-700">Could not list everything; the message above has the counts.</p> : null}
    </div>
  );
}
