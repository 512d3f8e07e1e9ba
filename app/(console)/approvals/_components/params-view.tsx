// The exact parameters of the call, one per row, as they will be sent. Values that look destructive (delete, drop,
// force, production, amounts, ...) are highlighted so the approver reads them twice.
import { looksDestructive } from "@/lib/approvals/destructive";

export function ParamsView({ params }: { params: Record<string, unknown> }) {
  const entries = Object.entries(params).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="px-4 py-3 text-sm text-slate-500">No parameters.</p>;
  return (
    <dl data-testid="approval-params" className="divide-y divide-slate-100 text-sm">
      {entries.map(([key, value]) => {
        const hot = looksDestructive(key, value);
        return (
          <div key={key} className={`flex items-start gap-4 px-4 py-2 ${hot ? "bg-red-50" : ""}`} data-destructive={hot || undefined}>
            <dt className="w-40 shrink-0 font-mono text-slate-600">{key}</dt>
            <dd className={`min-w-0 flex-1 whitespace-pre-wrap break-all font-mono ${hot ? "font-semibold text-red-800" : "text-slate-900"}`}>
              {JSON.stringify(value, null, 2)}
              {hot ? (
                <span className="ml-2 rounded bg-red-600 px-1.5 py-0.5 font-sans text-xs font-medium text-white" data-testid="destructive">
                  check this
                </span>
              ) : null}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
