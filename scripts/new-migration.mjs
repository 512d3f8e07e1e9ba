// Writes a new migration for both providers from the difference between each migration history and the schema.
// Usage: npm run db:diff -- <name>   (non-interactive; `prisma migrate dev` wants a terminal)
// PostgreSQL's diff replays the history on a shadow database: PG_URL, or a throwaway local cluster.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { withPostgres } from "./lib/pg-throwaway.mjs";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("usage: npm run db:diff -- <migration_name>");
  process.exit(2);
}
execFileSync("node", ["scripts/gen-prisma-schemas.mjs"], { stdio: "inherit" });
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

function write(provider, url) {
  const migrations = `prisma/${provider}/migrations`;
  fs.mkdirSync(migrations, { recursive: true });
  const lock = path.join(migrations, "migration_lock.toml");
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, `# Prisma Migrate lockfile\nprovider = "${provider}"\n`);
  const sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--from-migrations", migrations, "--to-schema", `prisma/${provider}/schema.prisma`, "--script"],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: url } },
  );
  if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
    console.log(`${provider}: no changes`);
    return true;
  }
  const dir = path.join(migrations, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`${provider}: wrote ${dir}/migration.sql`);
  return true;
}

write("sqlite", "file:/tmp/deputy-diff.db");
const done = await withPostgres((url) => write("postgresql", url));
if (done === undefined) {
  console.error("postgresql: skipped, no PostgreSQL (set PG_URL or install postgresql) - the migration is still to write");
  process.exit(1);
}
