// Runs `fn(url)` against PG_URL when set, else against a throwaway PostgreSQL cluster (.ci/pg-cluster.sh).
// Returns undefined without calling fn when neither is available (no PostgreSQL binaries on this machine).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const pgBin = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export async function withPostgres(fn) {
  if (process.env.PG_URL) return fn(process.env.PG_URL);
  if (!fs.existsSync(path.join(pgBin, "initdb"))) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-pg-"));
  const url = execFileSync(".ci/pg-cluster.sh", ["start", dir], { encoding: "utf8" }).trim();
  try {
    return await fn(url);
  } finally {
    execFileSync(".ci/pg-cluster.sh", ["stop", dir]);
  }
}
