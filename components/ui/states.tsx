// The three states every list has besides its rows: loading, empty, and failed.
import { Button } from "./button";

export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" data-testid="loading" className="flex items-center gap-2 p-6 text-sm text-slate-500">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand" aria-hidden />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div data-testid="empty" className="rounded-lg border border-dashed border-slate-300 p-8 text-center">
      <p className="font-medium text-slate-800">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div data-testid="error" className="flex items-center justify-between gap-4 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <span>Could not load: {error instanceof Error ? error.message : "unknown error"}</span>
      {onRetry ? (
        <Button variant="secondary" size="sm" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

/**
 * A list's query in one of its four states: failed (with Retry), loading, empty, or its rows. Every list card goes
 * through this one triage instead of repeating it.
 */
export function ListStates<T>({
  query,
  empty,
  children,
}: {
  query: { isError: boolean; isPending: boolean; error: unknown; data: readonly T[] | undefined; refetch: () => unknown };
  /** shown when the list has no rows */
  empty: React.ReactNode;
  children: (rows: readonly T[]) => React.ReactNode;
}) {
  if (query.isError) {
    return (
      <div className="p-4">
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      </div>
    );
  }
  if (query.isPending || !query.data) return <LoadingState />;
  if (query.data.length === 0) return <div className="p-4">{empty}</div>;
  return <div className="overflow-x-auto">{children(query.data)}</div>;
}
