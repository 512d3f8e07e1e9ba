// Dates as people read them, in one place. Server and client render the same text (UTC, fixed format).
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "never";
  return new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** A datetime-local input's value read as UTC, like every time the console shows ("2026-05-01T09:00" is 09:00 UTC),
 * as an ISO string; undefined when empty or not a date. */
export function utcIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(`${local.length === 16 ? `${local}:00` : local}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
