// Dates as people read them, in one place. Server and client render the same text (UTC, fixed format).
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "never";
  return new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
