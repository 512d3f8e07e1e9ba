// Proves the integration harness: a fresh database, migrated, reachable through the env the workers receive.
// Uses the raw drivers (not lib/) so it depends on nothing but the migrations.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";

const INIT = "20261129001332_init";

type Migration = { migration_name: string; finished_at: unknown; rolled_back_at: unknown };

async function query<T>(sql: string): Promise<T[]> {
  const url = process.env.DATABASE_URL!;
  if (process.env.DEPUTY_TEST_DB_PROVIDER === "postgresql") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(url.slice("file:".length), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe("integration harness", () => {
  it("hands the provided env to the worker", () => {
    const provided = inject("deputyEnv");
    expect(process.env.DATABASE_URL).toBe(provided.DATABASE_URL);
    expect(["sqlite", "postgresql"]).toContain(process.env.DEPUTY_TEST_DB_PROVIDER);
    expect(Buffer.from(process.env.DEPUTY_MASTER_KEY!, "base64")).toHaveLength(32);
    expect(process.env.NEXTAUTH_SECRET!.length).toBeGreaterThanOrEqual(32);
    expect(process.env.NEXTAUTH_URL).toBe("http://localhost:3000");
    expect(fs.statSync(process.env.DEPUTY_DATA_DIR!).isDirectory()).toBe(true);
    // never the developer's database
    expect(process.env.DATABASE_URL).not.toContain(path.join("data", "deputy.db"));
    if (process.env.DEPUTY_TEST_DB_PROVIDER === "postgresql") {
      expect(new URL(process.env.DATABASE_URL!).pathname).toMatch(/^\/deputy_test_[0-9a-f]+$/);
    }
  });

  it("has the User table", async () => {
    const sql =
      process.env.DEPUTY_TEST_DB_PROVIDER === "postgresql"
        ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'User'`
        : `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'User'`;
    expect(await query<{ name: string }>(sql)).toEqual([{ name: "User" }]);
  });

  it(`lists ${INIT} as finished in _prisma_migrations`, async () => {
    const rows = await query<Migration>(
      `SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations WHERE migration_name = '${INIT}'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].finished_at).not.toBeNull();
    expect(rows[0].rolled_back_at).toBeNull();
  });

  it.runIf(process.env.DEPUTY_TEST_DB_PROVIDER === "sqlite")("uses WAL on SQLite", async () => {
    expect(await query<{ journal_mode: string }>("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
  });
});
