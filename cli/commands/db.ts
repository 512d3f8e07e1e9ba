import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type DbClient, databaseProvider } from "@/lib/db/client";
import { migrationStatus } from "@/lib/db/migration-status";
import { redactDatabaseUrl } from "@/lib/db/url";
import { env } from "@/lib/env";
import { checkHealth } from "@/lib/health/check-health";
import { type Output, print, UsageError } from "../output";

// the repository this CLI belongs to, wherever it is run from
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function dbCommand(db: DbClient, sub: string | undefined, o: Output): Promise<number> {
  switch (sub) {
    case "status": {
      const health = await checkHealth(db);
      const provider = databaseProvider();
      const migrations = health.ok ? await migrationStatus(db, provider, ROOT) : null;
      const status = { provider, url: redactDatabaseUrl(env().DATABASE_URL), ...health, migrations };
      print(o, status, () =>
        [
          `database: ${provider} ${status.url}`,
          `reachable: ${health.ok ? `yes (${health.latencyMs} ms)` : "no"}`,
          migrations ? `migrations: ${migrations.applied.length} applied, ${migrations.pending.length} pending${migrations.pending.length ? ` (${migrations.pending.join(", ")}): run deputy db migrate` : ""}` : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
      return health.ok && migrations?.pending.length === 0 ? 0 : 1;
    }
    case "migrate":
      execFileSync("node", [`${ROOT}scripts/prepare-db.mjs`], { stdio: "inherit" });
      return 0;
    default:
      throw new UsageError(`unknown db command: ${sub ?? "(none)"}`);
  }
}
