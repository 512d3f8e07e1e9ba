// Case-insensitive "contains" on both providers: SQLite's LIKE already ignores ASCII case; PostgreSQL needs
// Prisma's `mode: "insensitive"` (ILIKE), which the SQLite client's types do not know.
import { databaseProvider } from "./client";

export function containsInsensitive(value: string): { contains: string } {
  return databaseProvider() === "postgresql" ? ({ contains: value, mode: "insensitive" } as { contains: string }) : { contains: value };
}
