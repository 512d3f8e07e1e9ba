// How the CLI prints: --json gives one JSON document on stdout; otherwise short human text. Errors go to stderr.
export type Output = { json: boolean };

export function print(o: Output, data: unknown, text: string | (() => string)): void {
  process.stdout.write(o.json ? `${JSON.stringify(data, null, 2)}\n` : `${typeof text === "function" ? text() : text}\n`);
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return "(none)";
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => String(r[c] ?? ""))))].join("\n");
}

export class UsageError extends Error {}
