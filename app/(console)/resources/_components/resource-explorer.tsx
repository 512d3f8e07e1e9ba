"use client";
// The resources page: the tree on the left (search, toolbar, the windowed tree), the selected node on the right
// (details, who holds what there, Simulate). The selection is kept in the URL (?node=), so a node's page can be
// linked to and survives a reload.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { ChildrenPage } from "@/lib/resources/list-children";
import type { ChildNodeView, NodeDetailView, NodeView } from "@/lib/resources/node-view";
import type { NodeTypeView } from "@/lib/resources/node-type-view";
import { CreateNodeDialog, DeleteNodeDialog, MoveNodeDialog, RenameNodeDialog } from "./node-dialogs";
import { AccessCard, NodeDetails } from "./node-panel";
import { ResourceTree } from "./resource-tree";
import { SimulateCard } from "./simulate-card";
import { TreeSearchBox, TreeSearchResults, useTreeSearch } from "./tree-search";
import { ROOTS, useTreeRows } from "./use-tree-rows";

type NodeRef = Pick<NodeView, "id" | "name" | "path" | "type" | "parentId">;
type DialogState =
  | { kind: "create"; parent: NodeRef | null }
  | { kind: "rename"; node: NodeRef }
  | { kind: "delete"; node: NodeRef }
  | { kind: "move"; node: NodeRef; target: NodeRef | null }
  | null;

export function ResourceExplorer({
  initialRoots,
  initialNodeTypes,
  initialNode,
  canWrite,
  canSimulate,
  canListUsers,
}: {
  initialRoots: ChildrenPage;
  initialNodeTypes: NodeTypeView[];
  initialNode: NodeDetailView | null;
  canWrite: boolean;
  canSimulate: boolean;
  canListUsers: boolean;
}) {
  const qc = useQueryClient();
  const nodeTypes = useQuery({ ...queries.nodeTypes(), initialData: initialNodeTypes });
  const iconOf = useMemo(() => {
    const icons = new Map(nodeTypes.data.map((t) => [t.name, t.icon]));
    return (type: string) => icons.get(type);
  }, [nodeTypes.data]);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(initialNode?.ancestors.map((a) => a.id) ?? []));
  const [pageCounts, setPageCounts] = useState<ReadonlyMap<string, number>>(() => new Map());
  const [selectedId, setSelectedId] = useState<string | null>(initialNode?.id ?? null);
  const [activeId, setActiveId] = useState<string | null>(initialNode?.id ?? null);
  const [revealId, setRevealId] = useState<string | null>(initialNode?.id ?? null);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [searchText, setSearchText] = useState("");
  const search = useTreeSearch(searchText);
  const { rows, indexOf } = useTreeRows(expanded, pageCounts, initialRoots);

  const selected = useQuery({
    ...queries.resource(selectedId ?? ""),
    enabled: selectedId !== null,
    initialData: initialNode && initialNode.id === selectedId ? initialNode : undefined,
  });
  const node = selectedId !== null ? selected.data : undefined;

  useEffect(() => {
    const url = new URL(window.location.href);
    if (selectedId) url.searchParams.set("node", selectedId);
    else url.searchParams.delete("node");
    window.history.replaceState(null, "", `${url.pathname}${url.search}`);
  }, [selectedId]);

  /** Selects a node anywhere in the tree and opens its ancestors so that its row shows and scrolls into view. */
  const reveal = useCallback(
    async (id: string | null) => {
      setSelectedId(id);
      setActiveId(id);
      if (!id) return;
      try {
        const detail = await qc.fetchQuery(queries.resource(id));
        setExpanded((prev) => {
          if (detail.ancestors.every((a) => prev.has(a.id))) return prev;
          const next = new Set(prev);
          for (const a of detail.ancestors) next.add(a.id);
          return next;
        });
        setRevealId(id);
      } catch {
        // the node panel shows why the node could not be loaded
      }
    },
    [qc],
  );

  const onToggle = useCallback((n: ChildNodeView, open: boolean) => {
    setExpanded((prev) => {
      if (prev.has(n.id) === open) return prev;
      const next = new Set(prev);
      if (open) next.add(n.id);
      else next.delete(n.id);
      return next;
    });
  }, []);
  const onLoadMore = useCallback((parentId: string | null) => {
    setPageCounts((prev) => new Map(prev).set(parentId ?? ROOTS, (prev.get(parentId ?? ROOTS) ?? 1) + 1));
  }, []);
  const onRetry = useCallback((parentId: string | null) => qc.invalidateQueries({ queryKey: queries.resourceChildrenAll(parentId).queryKey }), [qc]);
  const onSelect = useCallback((n: ChildNodeView) => setSelectedId(n.id), []);
  const onRevealed = useCallback(() => setRevealId(null), []);
  const onMoveRequest = useCallback((n: ChildNodeView, target: ChildNodeView | null) => setDialog({ kind: "move", node: n, target }), []);

  const pickFirstMatch = () => {
    const first = search.results.data?.[0];
    if (first) pickMatch(first);
  };
  const pickMatch = (n: NodeView) => {
    setSearchText("");
    void reveal(n.id);
  };

  const searching = searchText.trim().length > 0;
  const treeEmpty = rows.length === 0;

  return (
    <div className="grid items-start gap-6 xl:grid-cols-[360px_minmax(0,1fr)] 2xl:grid-cols-[420px_minmax(0,1fr)]">
      <section
        aria-label="Tree"
        className="flex h-[calc(100vh-10rem)] min-h-[26rem] flex-col rounded-xl border border-slate-200 bg-white shadow-sm xl:sticky xl:top-6"
      >
        <div className="space-y-2 border-b border-slate-200 p-3">
          <TreeSearchBox value={searchText} onChange={setSearchText} onPickFirst={pickFirstMatch} />
          {canWrite ? (
            <div className="flex flex-wrap gap-1.5" role="toolbar" aria-label="Tree actions">
              <Button variant="secondary" size="sm" onClick={() => setDialog({ kind: "create", parent: null })}>
                New root
              </Button>
              <Button variant="secondary" size="sm" disabled={!node} onClick={() => node && setDialog({ kind: "create", parent: node })}>
                New child
              </Button>
              <Button variant="secondary" size="sm" disabled={!node} onClick={() => node && setDialog({ kind: "rename", node })}>
                Rename
              </Button>
              <Button variant="secondary" size="sm" disabled={!node} onClick={() => node && setDialog({ kind: "delete", node })}>
                Delete
              </Button>
            </div>
          ) : null}
        </div>
        {searching ? (
          <TreeSearchResults results={search.results} iconOf={iconOf} onPick={pickMatch} />
        ) : treeEmpty ? (
          <div className="p-3">
            <EmptyState title="No resources yet">
              {canWrite ? "Start with New root: an organization, say, then add its workspaces and projects." : "An admin builds the tree here."}
            </EmptyState>
          </div>
        ) : (
          <ResourceTree
            rows={rows}
            indexOf={indexOf}
            selectedId={selectedId}
            activeId={activeId}
            revealId={revealId}
            onRevealed={onRevealed}
            onActivate={setActiveId}
            onSelect={onSelect}
            onToggle={onToggle}
            onLoadMore={onLoadMore}
            onRetry={onRetry}
            onMoveRequest={canWrite ? onMoveRequest : undefined}
            iconOf={iconOf}
          />
        )}
      </section>

      <div className="min-w-0 space-y-6">
        {selectedId === null ? (
          <EmptyState title="Select a node">Choose a node in the tree to see who holds what there, and to simulate a decision on it.</EmptyState>
        ) : selected.isError ? (
          <ErrorState error={selected.error} onRetry={() => selected.refetch()} />
        ) : !node ? (
          <LoadingState />
        ) : (
          <>
            <NodeDetails node={node} iconOf={iconOf} onSelect={(id) => void reveal(id)} />
            <AccessCard key={node.id} node={node} canWrite={canWrite} onSelect={(id) => void reveal(id)} />
          </>
        )}
        {/* outside the node's loading state: its choices stay while another node loads, to ask the same of it */}
        {canSimulate && selectedId !== null && !selected.isError ? (
          <SimulateCard node={{ id: selectedId, path: node?.path ?? "the selected node" }} canListUsers={canListUsers} />
        ) : null}
      </div>

      {canWrite ? (
        <>
          <CreateNodeDialog
            open={dialog?.kind === "create"}
            parent={dialog?.kind === "create" ? dialog.parent : null}
            types={nodeTypes.data}
            onCreated={(n) => void reveal(n.id)}
            onClose={() => setDialog(null)}
          />
          <RenameNodeDialog node={dialog?.kind === "rename" ? dialog.node : null} onClose={() => setDialog(null)} />
          <DeleteNodeDialog node={dialog?.kind === "delete" ? dialog.node : null} onDeleted={(parentId) => void reveal(parentId)} onClose={() => setDialog(null)} />
          <MoveNodeDialog
            move={dialog?.kind === "move" ? { node: dialog.node, target: dialog.target } : null}
            onMoved={(n) => void reveal(n.id)}
            onClose={() => setDialog(null)}
          />
        </>
      ) : null}
    </div>
  );
}
