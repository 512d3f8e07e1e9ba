// Writes batches of audit rows for the group-commit batcher, the fastest safe way for each provider.
//
// SQLite: its own connection with one prepared INSERT, in a BEGIN IMMEDIATE transaction that runs synchronously from
// start to commit. Not Prisma's connection, because Prisma's SQLite adapter runs queries made outside a transaction
// on the same connection as an open interactive transaction: rows written there would commit or roll back with
// someone else's change. A busy lock is retried on a timer rather than waited for synchronously, which would block
// the event loop and with it the transaction holding the lock.
// PostgreSQL: one multi-row INSERT through the pool (each query has a connection of its own there).
import Database from "better-sqlite3";
import { type DbClient, databaseProvider } from "@/lib/db/client";
import { absoluteDatabaseUrl } from "@/lib/db/url";
import { env } from "@/lib/env";
import type { toAuditRow } from "./record-event";

type Row = ReturnType<typeof toAuditRow>;
export type AuditWriter = (rows: Row[]) => Promise<void>;

const COLUMNS = ["id", "createdAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "details", "ip"] as const;
const BUSY_RETRY_MS = 2;
const BUSY_GIVE_UP_MS = 10_000;

/** Prisma's text format for SQLite DateTime columns, so rows written here sort and compare with its own. */
const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

function sqliteWriter(): AuditWriter {
  const db = new Database(absoluteDatabaseUrl(env().DATABASE_URL).slice("file:".length), { timeout: 0 });
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(`INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
  const insertAll = db.transaction((rows: Row[]) => {
    for (const r of rows) insert.run(COLUMNS.map((c) => (r[c] instanceof Date ? sqliteTime(r[c]) : r[c])));
  });
  return async (rows) => {
    const started = Date.now();
    for (;;) {
      try {
        insertAll.immediate(rows);
        return;
      } catch (e) {
        const busy = (e as { code?: string }).code === "SQLITE_BUSY";
        if (!busy || Date.now() - started > BUSY_GIVE_UP_MS) throw e;
        await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
      }
    }
  };
}

function postgresWriter(db: () => DbClient): AuditWriter {
  const columns = COLUMNS.map((c) => `"${c}"`).join(", ");
  return async (rows) => {
    const values: unknown[] = [];
    const tuples = rows.map((r) => {
      const placeholders = COLUMNS.map((c) => {
        values.push(r[c]);
        return `$${values.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    await db().$executeRawUnsafe(`INSERT INTO "AuditEvent" (${columns}) VALUES ${tuples.join(", ")}`, ...values);
  };
}

export function createAuditWriter(db: () => DbClient): AuditWriter {
  return databaseProvider() === "postgresql" ? postgresWriter(db) : sqliteWriter();
}
