// Which migrations the database has applied, against those shipped in prisma/<provider>/migrations.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "./client";
import type { Provider } from "./url";

export async function migrationStatus(db: Db, provider: Provider, root = process.cwd()) {
  const dir = path.join(root, "prisma", provider, "migrations");
  const shipped = fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort() : [];
  let applied: string[] = [];
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    applied = rows.map((r) => r.migration_name);
  } catch {
    // no migrations table yet: nothing applied
  }
  return { applied, pending: shipped.filter((m) => !applied.includes(m)) };
}
