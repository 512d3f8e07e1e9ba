// The audit filters' query parameter names, for the console (no server imports here). Documented, and parsed, in
// event-filters.ts; other pages link to /audit?agent=...&action=... with these names, so they are not renamed.
export const AUDIT_FILTER_PARAMS = ["agent", "user", "actorId", "targetId", "action", "result", "from", "to", "node"] as const;
export type AuditFilterParam = (typeof AUDIT_FILTER_PARAMS)[number];
export type AuditFilterValues = Partial<Record<AuditFilterParam, string>>;

/** The filters present in a query string, empty values dropped, in one fixed order (stable query keys and URLs). */
export function auditFiltersFrom(params: { get(name: string): string | null }): AuditFilterValues {
  const out: AuditFilterValues = {};
  for (const name of AUDIT_FILTER_PARAMS) {
    const v = params.get(name)?.trim();
    if (v) out[name] = v;
  }
  return out;
}

export function auditFilterSearch(filters: AuditFilterValues, extra: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams();
  for (const name of AUDIT_FILTER_PARAMS) if (filters[name]) qs.set(name, filters[name]!);
  for (const [k, v] of Object.entries(extra)) if (v) qs.set(k, v);
  return qs.toString();
}
