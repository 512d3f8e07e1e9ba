/**
 * Prisma's text form of a SQLite DateTime. Rows store times as this text and compare and sort as text, so a time
 * bound in raw SQL on SQLite must be this text too. (sqlite-append-worker.mjs writes the same form.)
 */
export function sqliteTime(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}
