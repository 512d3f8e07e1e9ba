// Vitest globalSetup for the integration project: one fresh, fully migrated database per run.
//   DATABASE_URL=postgres(ql)://...  -> CREATE DATABASE deputy_test_<random> on that server (the role needs CREATEDB)
//   otherwise                        -> file:<fresh temp dir>/test.db (SQLite, WAL)
// The resulting DATABASE_URL and the app's secrets reach the test workers through `project.provide`;
// tests/setup/env.ts (a setupFiles entry) copies them into process.env before any test module imports lib/*.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import type { TestProject } from "vitest/node";

export type DeputyTestEnv = {
  DATABASE_URL: string;
  DEPUTY_DATA_DIR: string;
  DEPUTY_MASTER_KEY: string;
  NEXTAUTH_SECRET: string;
  NEXTAUTH_URL: string;
  DEPUTY_TEST_DB_PROVIDER: "sqlite" | "postgresql";
};

declare module "vitest" {
  export interface ProvidedContext {
    deputyEnv: DeputyTestEnv;
  }
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

function migrate(databaseUrl: string): void {
  try {
    execFileSync("npx", ["prisma", "migrate", "deploy"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "pipe",
      encoding: "utf8",
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    console.error(`prisma migrate deploy failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    throw new Error(`prisma migrate deploy failed: ${e.message}`);
  }
}

async function withClient<T>(connectionString: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DATABASE_URL ?? "";
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-test-"));
  const dataDir = path.join(tmp, "data");
  fs.mkdirSync(dataDir);

  const provider: DeputyTestEnv["DEPUTY_TEST_DB_PROVIDER"] = /^postgres(ql)?:\/\//.test(given) ? "postgresql" : "sqlite";
  let databaseUrl = `file:${path.join(tmp, "test.db")}`;
  let dropDatabase: (() => Promise<void>) | undefined;

  const teardown = async () => {
    try {
      await dropDatabase?.();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };

  try {
    if (provider === "postgresql") {
      const name = `deputy_test_${randomBytes(6).toString("hex")}`;
      await withClient(given, (c) => c.query(`CREATE DATABASE "${name}"`));
      dropDatabase = async () => {
        await withClient(given, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      };
      const url = new URL(given);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    }
    migrate(databaseUrl);
    if (provider === "sqlite") {
      const db = new Database(databaseUrl.slice("file:".length));
      try {
        db.pragma("journal_mode = WAL");
      } finally {
        db.close();
      }
    }
  } catch (err) {
    await teardown();
    throw err;
  }

  project.provide("deputyEnv", {
    DATABASE_URL: databaseUrl,
    DEPUTY_DATA_DIR: dataDir,
    DEPUTY_MASTER_KEY: randomBytes(32).toString("base64"),
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    NEXTAUTH_URL: "http://localhost:3000",
    DEPUTY_TEST_DB_PROVIDER: provider,
  });

  return teardown;
}
