"use client";
// The tree as a flat list of rows: every node whose ancestors are all expanded, in display order, with a row for a
// level still loading, failed, or with more pages to fetch. Only the rows on screen are rendered (resource-tree.tsx),
// so a tree of 100,000 nodes costs what its expanded part costs, and that part loads lazily: one query per page of
// children (GET /resources?parent=...), fetched when its parent is expanded or its "more" row scrolls into view.
import { type QueryClient, useQueries, useQueryClient } from "@tanstack/react-query";
import { useMemo, useSyncExternalStore } from "react";
import { isTreeChildrenKey, queries } from "@/components/queries";
import type { ChildrenPage } from "@/lib/resources/list-children";
import type { ChildNodeView } from "@/lib/resources/node-view";

/** the key of the roots in `expanded`-like maps: a parent id, or "" for the roots */
export const ROOTS = "";
const keyOf = (parentId: string | null) => parentId ?? ROOTS;

export type TreeRow =
  | {
      kind: "node";
      key: string;
      node: ChildNodeView;
      /** 1 for a root (aria-level) */
      level: number;
      expanded: boolean;
      /** 1-based position among its siblings, and their number (-1: not known yet, more pages to load) */
      posinset: number;
      setsize: number;
    }
  | { kind: "loading" | "more"; key: string; parentId: string | null; level: number }
  | { kind: "error"; key: string; parentId: string | null; level: number; message: string };

export type TreeRows = { rows: TreeRow[]; indexOf: Map<string, number> };

type Spec = ReturnType<typeof queries.resourceChildren>;

/**
 * Re-renders when a page of children arrives, fails or is dropped from the cache. Fetch starts and observer changes
 * are ignored on purpose: the rows do not depend on them, and reacting to observer changes would loop (every render
 * hands useQueries a new list of queries).
 */
function useChildrenVersion(qc: QueryClient): number {
  const store = useMemo(() => {
    let version = 0;
    return {
      subscribe(onChange: () => void) {
        return qc.getQueryCache().subscribe((event) => {
          if (!isTreeChildrenKey(event.query.queryKey)) return;
          const relevant =
            event.type === "removed" ||
            event.type === "added" ||
            (event.type === "updated" && (event.action.type === "success" || event.action.type === "error" || event.action.type === "setState"));
          if (!relevant) return;
          version++;
          onChange();
        });
      },
      get: () => version,
    };
  }, [qc]);
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

function walk(qc: QueryClient, expanded: ReadonlySet<string>, pageCounts: ReadonlyMap<string, number>, initialRoots: ChildrenPage | undefined) {
  const rows: TreeRow[] = [];
  const specs: Spec[] = [];
  const indexOf = new Map<string, number>();

  const visit = (parentId: string | null, level: number, childCount: number | null) => {
    const wanted = pageCounts.get(keyOf(parentId)) ?? 1;
    const children: ChildNodeView[] = [];
    let tail: "done" | "loading" | "more" | "error" = "done";
    let message = "";
    let cursor: string | undefined;
    for (let page = 0; page < wanted; page++) {
      const options = queries.resourceChildren(parentId, cursor);
      const seed = parentId === null && cursor === undefined ? initialRoots : undefined;
      specs.push(seed ? { ...options, initialData: seed } : options);
      const data = qc.getQueryData(options.queryKey) ?? seed;
      if (!data) {
        const state = qc.getQueryState(options.queryKey);
        tail = state?.status === "error" ? "error" : "loading";
        message = state?.error instanceof Error ? state.error.message : "could not load";
        break;
      }
      children.push(...data.nodes);
      if (!data.nextCursor) break;
      cursor = data.nextCursor;
      if (page === wanted - 1) tail = "more";
    }
    const setsize = tail === "done" ? children.length : (childCount ?? -1);
    children.forEach((node, i) => {
      const open = node.childCount > 0 && expanded.has(node.id);
      indexOf.set(node.id, rows.length);
      rows.push({ kind: "node", key: node.id, node, level, expanded: open, posinset: i + 1, setsize });
      if (open) visit(node.id, level + 1, node.childCount);
    });
    const key = `${tail}:${keyOf(parentId)}`;
    if (tail === "error") rows.push({ kind: "error", key, parentId, level, message });
    else if (tail !== "done") rows.push({ kind: tail, key, parentId, level });
  };

  visit(null, 1, null);
  return { rows, indexOf, specs };
}

/**
 * `expanded`: node ids whose children show; `pageCounts`: how many pages of children to load per parent id (ROOTS for
 * the roots; 1 when absent). `initialRoots`: the first page of roots the server rendered.
 */
export function useTreeRows(expanded: ReadonlySet<string>, pageCounts: ReadonlyMap<string, number>, initialRoots?: ChildrenPage): TreeRows {
  const qc = useQueryClient();
  const version = useChildrenVersion(qc);
  // `version` is not read by the walk: it stands for the cached pages the walk reads, so a new page recomputes the rows
  const { rows, indexOf, specs } = useMemo(() => walk(qc, expanded, pageCounts, initialRoots), [qc, expanded, pageCounts, initialRoots, version]);
  // fetches the pages the walk asked for, and keeps them observed (refetched on invalidation, never collected)
  useQueries({ queries: specs });
  return { rows, indexOf };
}
