"use client";
// The tree's search box: part of a name anywhere, or a path prefix ("acme/plat"). Picking a match selects it and
// opens the tree down to it. Down arrow from the box walks the matches; Enter in the box picks the first.
import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { queries } from "@/components/queries";
import { useDebounced } from "@/components/use-debounced";
import { Input } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { NodeView } from "@/lib/resources/node-view";
import { type IconOf, NodeIcon } from "./node-icon";

export function TreeSearchBox({ value, onChange, onPickFirst }: { value: string; onChange: (q: string) => void; onPickFirst: () => void }) {
  return (
    <Input
      type="search"
      aria-label="Search resources"
      placeholder="Search by name or path (acme/plat…)"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          onPickFirst();
        } else if (e.key === "ArrowDown") {
          e.preventDefault();
          document.querySelector<HTMLButtonElement>("[data-search-result]")?.focus();
        } else if (e.key === "Escape") {
          onChange("");
        }
      }}
    />
  );
}

export function useTreeSearch(text: string) {
  const q = useDebounced(text.trim(), 250);
  const results = useQuery({ ...queries.resourceSearch(q), enabled: q.length > 0 });
  return { q, results };
}

export function TreeSearchResults({
  results,
  iconOf,
  onPick,
}: {
  results: ReturnType<typeof useTreeSearch>["results"];
  iconOf: IconOf;
  onPick: (node: NodeView) => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  if (results.isError) {
    return (
      <div className="p-3">
        <ErrorState error={results.error} />
      </div>
    );
  }
  if (results.isPending) return <LoadingState label="Searching…" />;
  if (results.data.length === 0) {
    return (
      <div className="p-3">
        <EmptyState title="No node matches">Try part of a name, or a path such as acme/platform/.</EmptyState>
      </div>
    );
  }
  const step = (e: React.KeyboardEvent<HTMLButtonElement>, by: 1 | -1) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>("[data-search-result]") ?? [])];
    const i = buttons.indexOf(e.currentTarget);
    buttons[i + by]?.focus();
    e.preventDefault();
  };
  return (
    <ul ref={list} className="min-h-0 flex-1 overflow-auto py-1" aria-label="Search results" data-testid="search-results">
      {results.data.map((n) => (
        <li key={n.id}>
          <button
            type="button"
            data-search-result
            className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-sm hover:bg-slate-50 focus:bg-brand/10 focus:outline-none"
            onClick={() => onPick(n)}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") step(e, 1);
              if (e.key === "ArrowUp") step(e, -1);
            }}
          >
            <span className="text-slate-500">
              <NodeIcon icon={iconOf(n.type)} />
            </span>
            <span className="min-w-0 flex-1 truncate font-mono text-xs">{n.path}</span>
            <span className="shrink-0 text-xs text-slate-400">{n.type}</span>
          </button>
        </li>
      ))}
      {results.data.length >= 50 ? <li className="px-3 py-1.5 text-xs text-slate-500">The first 50 matches; type more to narrow.</li> : null}
    </ul>
  );
}
