// The console's table: one look for every list. Rows are the caller's <tr> elements.
import type { ReactNode } from "react";

export type Column = string | { label: string; align?: "left" | "right" };

export function DataTable({ columns, testId, children }: { columns: Column[]; testId?: string; children: ReactNode }) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          {columns.map((c, i) => {
            const { label, align } = typeof c === "string" ? { label: c, align: "left" } : c;
            return (
              <th key={`${label}-${i}`} className={`px-4 py-2 ${align === "right" ? "text-right" : ""}`}>
                {label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
}

/** A form's or dialog's error line. */
export function FormError({ children }: { children: ReactNode }) {
  return children ? <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{children}</p> : null;
}
