// Fails when either provider's migration history drifts from prisma/schema.base.prisma.
// `prisma migrate diff --exit-code`: 0 in sync, 2 drifted. PostgreSQL needs PG_URL or local PostgreSQL binaries.
import { spawnSync } from "node:child_process";
import { withPostgres } from "./lib/pg-throwaway.mjs";

function check(provider, url) {
  const r = spawnSync(
    "npx",
    ["prisma", "migrate", "diff", "--from-migrations", `prisma/${provider}/migrations`, "--to-schema", `prisma/${provider}/schema.prisma`, "--exit-code"],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: url } },
  );
  if (r.status === 0) return console.log(`${provider}: migrations match the schema`), true;
  console.error(`${provider}: ${r.status === 2 ? "migrations DRIFT from the schema; run npm run db:diff -- <name>" : "check failed"}\n${r.stdout}${r.stderr}`);
  return false;
}

spawnSync("node", ["scripts/gen-prisma-schemas.mjs"], { stdio: "inherit" });
let ok = check("sqlite", "file:/tmp/deputy-migration-check.db");
const pg = await withPostgres((url) => check("postgresql", url));
if (pg === undefined) {
  console.error("postgresql: not checked here (no PG_URL and no /usr/lib/postgresql/15/bin); CI checks it");
} else ok &&= pg;
process.exit(ok ? 0 : 1);
