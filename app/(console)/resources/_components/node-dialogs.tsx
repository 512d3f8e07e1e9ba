"use client";
// Changes to the tree, each behind a dialog: create (a root or a child), rename, move (after a drag and drop) and
// delete (which lists what a cascade would take, from the API's dry run, before asking).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/data-table";
import { Dialog, FormFooter } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import type { DeleteNodeResult } from "@/lib/resources/delete-node";
import type { DeletePreview } from "@/lib/resources/preview-node-delete";
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

/** How many nodes and grants the delete dialog lists; the counts above the lists always cover everything. */
const PREVIEW_LIMIT = 200;

const STATUS_TONE = { active: "green", scheduled: "blue", expired: "gray", revoked: "red" } as const;

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/**
 * Deleting starts with the dry run (GET .../delete-preview). A bare node is deleted after one plain confirmation;
 * a node with children or grants in force shows everything the cascade takes, and the confirmation carries the
 * preview's digest: if the subtree changed meanwhile the API answers 409 and the dialog reloads the preview, so the
 * admin always confirms the list they are looking at.
 */
export function DeleteNodeDialog({ node, onDeleted, onClose }: { node: NodeRef | null; onDeleted: (parentId: string | null) => void; onClose: () => void }) {
  const qc = useQueryClient();
  const preview = useQuery({ ...queries.resourceDeletePreview(node?.id ?? "", PREVIEW_LIMIT), enabled: node !== null });
  const remove = useMutation({
    mutationFn: ({ id, digest }: { id: string; digest: string | null }) =>
      apiFetch<DeleteNodeResult>(`/resources/${id}${digest ? `?cascade=true&digest=${encodeURIComponent(digest)}` : ""}`, { method: "DELETE" }),
    onSuccess: async () => {
      const parentId = node?.parentId ?? null;
      // closed first: an open dialog would refetch the deleted node's preview on the invalidation, and show its 404
      close();
      await invalidateTree(qc);
      onDeleted(parentId);
    },
    // the subtree changed (or, for a plain delete, gained children or grants): show what is there now
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) void preview.refetch();
    },
  });
  function close() {
    remove.reset();
    onClose();
  }
  const p = preview.data;
  const cascade = p?.cascadeRequired ?? false;
  return (
    <Dialog open={node !== null} onClose={close} title={cascade ? `Delete ${node?.path} and everything below it?` : `Delete ${node?.path}?`} wide={cascade}>
      <div className="space-y-4 text-sm text-slate-700">
        {preview.isError ? (
          <ErrorState error={preview.error} onRetry={() => preview.refetch()} />
        ) : !p || preview.isFetching ? (
          <LoadingState label="Listing what would be deleted…" />
        ) : cascade ? (
          <DeletePreviewList preview={p} />
        ) : (
          <p>
            The node leaves the tree{p.grantCount > 0 ? `, with its ${count(p.grantCount, "revoked grant", "revoked grants")}` : ""}. This cannot be undone; its history stays
            in the audit trail.
          </p>
        )}
        <FormError>{remove.error?.message}</FormError>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={!p || preview.isFetching || remove.isPending}
            onClick={() => node && p && remove.mutate({ id: node.id, digest: cascade ? p.digest : null })}
          >
            {remove.isPending
              ? "Deleting…"
              : cascade && p
                ? `Delete ${count(p.nodeCount, "node", "nodes")} and ${count(p.grantCount, "grant", "grants")}`
                : "Delete node"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

function DeletePreviewList({ preview: p }: { preview: DeletePreview }) {
  const inForce = p.grantsByStatus.active + p.grantsByStatus.scheduled;
  const statuses = (["active", "scheduled", "expired", "revoked"] as const).filter((s) => p.grantsByStatus[s] > 0).map((s) => `${p.grantsByStatus[s]} ${s}`);
  const moreNodes = p.nodeCount - p.nodes.length;
  const moreGrants = p.grantCount - p.grants.length;
  return (
    <div className="space-y-3" data-testid="delete-preview">
      <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900" data-testid="delete-preview-counts">
        Deleting removes {count(p.nodeCount, "node", "nodes")} and {count(p.grantCount, "grant", "grants")}
        {statuses.length ? ` (${statuses.join(", ")})` : ""}, at once and for good.
        {inForce > 0 ? ` ${count(inForce, "grant", "grants")} in force stop applying immediately.` : ""}
      </p>
      <section aria-label="Nodes that go">
        <h3 className="mb-1 font-medium">Nodes</h3>
        <ul className="max-h-48 divide-y divide-slate-100 overflow-auto rounded-lg border border-slate-200" data-testid="delete-preview-nodes">
          {p.nodes.map((n) => (
            <li key={n.id} className="flex items-center gap-2 px-3 py-1 font-mono text-xs">
              <span className="text-slate-500">{n.type}</span>
              <span className="min-w-0 truncate" title={n.path}>
                {n.path}
              </span>
            </li>
          ))}
          {moreNodes > 0 ? <li className="px-3 py-1 text-xs text-slate-500">and {moreNodes.toLocaleString("en-US")} more</li> : null}
        </ul>
      </section>
      <section aria-label="Grants that go">
        <h3 className="mb-1 font-medium">Grants</h3>
        {p.grants.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 px-3 py-2 text-xs text-slate-500" data-testid="delete-preview-no-grants">
            No grants on these nodes.
          </p>
        ) : (
          <ul className="max-h-56 divide-y divide-slate-100 overflow-auto rounded-lg border border-slate-200" data-testid="delete-preview-grants">
            {p.grants.map((g) => (
              <li key={g.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 px-3 py-1.5 text-xs">
                <Badge>{g.principal.type}</Badge>
                <span className="font-medium">{g.principal.label}</span>
                <span className="text-slate-500">{g.role ? `role ${g.role.name}` : <code>{g.tool?.name}</code>}</span>
                <span className="text-slate-400">on</span>
                <code className="min-w-0 truncate">{g.node.path}</code>
                <Badge tone={STATUS_TONE[g.status]}>{g.status}</Badge>
              </li>
            ))}
            {moreGrants > 0 ? <li className="px-3 py-1 text-xs text-slate-500">and {moreGrants.toLocaleString("en-US")} more</li> : null}
          </ul>
        )}
      </section>
    </div>
  );
}
