"use client";
// The tree view: a windowed list of rows (use-tree-rows.ts) with the WAI-ARIA tree pattern. Focus stays on the tree
// element and aria-activedescendant names the active row, so the active row is always scrolled into the window.
// Keys: Up/Down move, Right expands (or enters the first child), Left collapses (or goes to the parent), Home/End,
// PageUp/PageDown, Enter or Space selects. Admins drag a row onto another to move it (native drag and drop); the
// page asks before anything moves.
import { useEffect, useState } from "react";
import type { ChildNodeView } from "@/lib/resources/node-view";
import { type IconOf, NodeIcon } from "./node-icon";
import type { TreeRow } from "./use-tree-rows";
import { useVirtualWindow } from "./use-virtual-window";

export const ROW_HEIGHT = 32;
const INDENT = 16;
/** the drop target id of the "make it a root" zone */
const ROOT_DROP = "\u0000roots";

export const treeItemId = (nodeId: string) => `treeitem-${nodeId}`;

type Props = {
  rows: TreeRow[];
  indexOf: Map<string, number>;
  selectedId: string | null;
  activeId: string | null;
  /** a node to scroll into view once its row exists (after a search or a create), then onRevealed */
  revealId: string | null;
  onRevealed: () => void;
  onActivate: (id: string) => void;
  onSelect: (node: ChildNodeView) => void;
  onToggle: (node: ChildNodeView, open: boolean) => void;
  onLoadMore: (parentId: string | null) => void;
  onRetry: (parentId: string | null) => void;
  /** admins: a node dropped onto another (or onto the roots' drop zone: null) */
  onMoveRequest?: (node: ChildNodeView, target: ChildNodeView | null) => void;
  iconOf: IconOf;
};

function Chevron({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden className={`transition-transform ${open ? "rotate-90" : ""}`}>
      <path d="m6 4 4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function ResourceTree(props: Props) {
  const { rows, indexOf, selectedId, activeId, revealId, onRevealed, onActivate, onSelect, onToggle, onLoadMore, onRetry, onMoveRequest, iconOf } = props;
  const win = useVirtualWindow(rows.length, ROW_HEIGHT);
  const { scrollToIndex } = win;
  const [focused, setFocused] = useState(false);
  const [dragged, setDragged] = useState<ChildNodeView | null>(null);
  const [dropId, setDropId] = useState<string | null>(null);

  const activeIndex = activeId ? (indexOf.get(activeId) ?? -1) : -1;
  const active = activeIndex >= 0 ? rows[activeIndex] : undefined;

  // a "more" row that scrolls into the window loads the next page of its level
  useEffect(() => {
    for (let i = win.start; i < win.end; i++) {
      const row = rows[i];
      if (row?.kind === "more") onLoadMore(row.parentId);
    }
  }, [rows, win.start, win.end, onLoadMore]);

  useEffect(() => {
    if (!revealId) return;
    const index = indexOf.get(revealId);
    if (index === undefined) return;
    scrollToIndex(index, true);
    onRevealed();
  }, [revealId, indexOf, scrollToIndex, onRevealed]);

  const nodeAt = (i: number) => {
    const row = rows[i];
    return row?.kind === "node" ? row : undefined;
  };

  /** the nearest node row from `from` in direction `step` (skipping loading/more rows), or -1 */
  const seek = (from: number, step: 1 | -1) => {
    for (let i = from; i >= 0 && i < rows.length; i += step) if (nodeAt(i)) return i;
    return -1;
  };

  const moveTo = (index: number) => {
    const row = nodeAt(index);
    if (!row) return;
    onActivate(row.node.id);
    win.scrollToIndex(index);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    // keys typed on a row's own button (Load more, Retry) are that button's
    if (e.target !== e.currentTarget) return;
    const current = active?.kind === "node" ? active : undefined;
    const at = current ? activeIndex : -1;
    let handled = true;
    switch (e.key) {
      case "ArrowDown":
        moveTo(seek(at + 1, 1));
        break;
      case "ArrowUp":
        moveTo(at < 0 ? seek(0, 1) : seek(at - 1, -1));
        break;
      case "Home":
        moveTo(seek(0, 1));
        break;
      case "End":
        moveTo(seek(rows.length - 1, -1));
        break;
      case "PageDown":
        moveTo(seek(Math.min(rows.length - 1, Math.max(at, 0) + win.pageRows), -1));
        break;
      case "PageUp":
        moveTo(seek(Math.max(0, at - win.pageRows), 1));
        break;
      case "ArrowRight":
        if (!current) moveTo(seek(0, 1));
        else if (current.node.childCount > 0 && !current.expanded) onToggle(current.node, true);
        else if (current.expanded) moveTo(seek(at + 1, 1));
        break;
      case "ArrowLeft":
        if (!current) break;
        if (current.expanded) onToggle(current.node, false);
        else if (current.node.parentId) moveTo(indexOf.get(current.node.parentId) ?? -1);
        break;
      case "Enter":
      case " ":
        if (current) onSelect(current.node);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const onFocus = (e: React.FocusEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    setFocused(true);
    // entering the tree with nothing active: the selected node, else the first row
    if (!active) {
      const selected = selectedId ? indexOf.get(selectedId) : undefined;
      moveTo(selected !== undefined ? selected : seek(0, 1));
    }
  };

  const endDrag = () => {
    setDragged(null);
    setDropId(null);
  };

  /** Onto itself or its own parent is no move; under a descendant is, and the API refuses it with its reason. */
  const dropAllowed = (target: ChildNodeView | null) => {
    const node = dragged;
    if (!node) return false;
    if (target === null) return node.parentId !== null;
    return target.id !== node.id && target.id !== node.parentId;
  };

  const visible: React.ReactNode[] = [];
  for (let i = win.start; i < win.end; i++) {
    const row = rows[i]!;
    const top = i * ROW_HEIGHT;
    const pad = 8 + (row.level - 1) * INDENT;
    if (row.kind !== "node") {
      visible.push(
        <div
          key={row.key}
          role="none"
          className="absolute inset-x-0 flex items-center gap-2 text-xs text-slate-500"
          style={{ top, height: ROW_HEIGHT, paddingLeft: pad + 22 }}
        >
          {row.kind === "error" ? (
            <span className="text-red-700">
              Could not load: {row.message}{" "}
              <button type="button" className="font-medium underline" onClick={() => onRetry(row.parentId)}>
                Retry
              </button>
            </span>
          ) : row.kind === "more" ? (
            <button type="button" className="font-medium text-brand hover:underline" onClick={() => onLoadMore(row.parentId)}>
              Load more…
            </button>
          ) : (
            <span role="status">Loading…</span>
          )}
        </div>,
      );
      continue;
    }
    const { node } = row;
    const selected = node.id === selectedId;
    const isActive = node.id === activeId;
    const isDrop = node.id === dropId;
    visible.push(
      <div
        key={row.key}
        id={treeItemId(node.id)}
        role="treeitem"
        aria-level={row.level}
        aria-posinset={row.posinset}
        aria-setsize={row.setsize}
        aria-expanded={node.childCount > 0 ? row.expanded : undefined}
        aria-selected={selected}
        aria-label={node.name}
        aria-description={node.type}
        data-testid={`tree-row-${node.path}`}
        draggable={onMoveRequest ? true : undefined}
        className={[
          "absolute inset-x-0 flex cursor-pointer select-none items-center gap-1.5 pr-3 text-sm",
          selected ? "bg-brand/10 font-medium text-brand" : "text-slate-700 hover:bg-slate-50",
          isActive && focused ? "outline-2 -outline-offset-2 outline-brand" : "",
          isDrop ? "bg-amber-50 outline-2 -outline-offset-2 outline-dashed outline-amber-500" : "",
          node.id === dragged?.id ? "opacity-50" : "",
        ].join(" ")}
        style={{ top, height: ROW_HEIGHT, paddingLeft: pad }}
        onClick={() => {
          onActivate(node.id);
          onSelect(node);
        }}
        onDoubleClick={() => node.childCount > 0 && onToggle(node, !row.expanded)}
        onDragStart={(e) => {
          setDragged(node);
          e.dataTransfer.effectAllowed = "move";
          e.dataTransfer.setData("text/plain", node.path);
        }}
        onDragEnd={endDrag}
        onDragOver={(e) => {
          if (!dropAllowed(node)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
          if (dropId !== node.id) setDropId(node.id);
        }}
        onDragLeave={() => dropId === node.id && setDropId(null)}
        onDrop={(e) => {
          e.preventDefault();
          const moving = dragged;
          endDrag();
          if (moving && onMoveRequest && moving.id !== node.id) onMoveRequest(moving, node);
        }}
      >
        <span
          aria-hidden
          className={`flex h-5 w-5 shrink-0 items-center justify-center rounded text-slate-400 ${node.childCount > 0 ? "hover:bg-slate-200 hover:text-slate-700" : "invisible"}`}
          onClick={(e) => {
            e.stopPropagation();
            onActivate(node.id);
            onToggle(node, !row.expanded);
          }}
        >
          <Chevron open={row.expanded} />
        </span>
        <span className={selected ? "text-brand" : "text-slate-500"}>
          <NodeIcon icon={iconOf(node.type)} />
        </span>
        <span className="min-w-0 flex-1 truncate">{node.name}</span>
        {node.childCount > 0 ? (
          <span aria-hidden className="shrink-0 text-xs tabular-nums text-slate-400">
            {node.childCount.toLocaleString("en-US")}
          </span>
        ) : null}
      </div>,
    );
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        ref={win.ref}
        role="tree"
        aria-label="Resource tree"
        tabIndex={0}
        // only a rendered row can be the active descendant; a key press scrolls the active row back into the window
        aria-activedescendant={active?.kind === "node" && activeIndex >= win.start && activeIndex < win.end ? treeItemId(active.node.id) : undefined}
        data-testid="resource-tree"
        onScroll={win.onScroll}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={() => setFocused(false)}
        className="relative min-h-0 flex-1 overflow-auto focus:outline-none"
      >
        <div role="none" className="relative" style={{ height: win.totalHeight }}>
          {visible}
        </div>
      </div>
      {onMoveRequest ? (
        // the hint line turns into the roots' drop zone while a node is dragged: same place, same height, so that
        // nothing under the pointer moves during the drag
        <div
          data-testid="tree-root-drop"
          className={`border-t px-3 py-1.5 text-xs ${
            dropId === ROOT_DROP
              ? "border-amber-500 bg-amber-50 text-amber-800"
              : dragged?.parentId
                ? "border-dashed border-slate-300 bg-slate-50 text-slate-600"
                : "border-slate-100 text-slate-400"
          }`}
          onDragOver={(e) => {
            if (!dropAllowed(null)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = "move";
            setDropId(ROOT_DROP);
          }}
          onDragLeave={() => dropId === ROOT_DROP && setDropId(null)}
          onDrop={(e) => {
            e.preventDefault();
            const moving = dragged;
            endDrag();
            if (moving && onMoveRequest) onMoveRequest(moving, null);
          }}
        >
          {dragged?.parentId ? "Drop here to make it a root" : "Drag a node onto another to move it."}
        </div>
      ) : null}
    </div>
  );
}
