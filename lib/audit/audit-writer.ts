// Writes batches of audit rows for the group-commit batcher, the fastest safe way for each provider. Every batch
// joins the hash chain with one head read and one head update (chain.ts), which keeps the chain's cost per row to a
// hash.
//
// SQLite: its own connection with prepared statements, in a BEGIN IMMEDIATE transaction that runs synchronously from
// start to commit: the write lock is taken before the head is read, and nothing else in this process can run in
// between. Not Prisma's connection, because Prisma's SQLite adapter runs queries made outside a transaction on the
// same connection as an open interactive transaction: rows written there would commit or roll back with someone
// else's change. A busy lock is retried on a timer rather than waited for synchronously, which would block the event
// loop and with it the transaction holding the lock.
// PostgreSQL: a transaction through the pool that locks the head row (FOR UPDATE) and inserts the batch in one
// multi-row INSERT.
import Database from "better-sqlite3";
import { type DbClient, databaseProvider } from "@/lib/db/client";
import { absoluteDatabaseUrl } from "@/lib/db/url";
import { env } from "@/lib/env";
import { APPEND_TRANSACTION, type AuditRow, appendToChain, CHAIN_HEAD_ID, type ChainedRow, type ChainHead, checkpointSignature, crossesCheckpoint, linkRows, scheduleCheckpoint } from "./chain";

/** Appends and commits the rows; resolves with them as chained (positions and hashes), for the SIEM sink. */
export type AuditWriter = (rows: AuditRow[]) => Promise<ChainedRow[]>;

const COLUMNS = ["id", "createdAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "details", "ip", "seq", "prevHash", "hash"] as const;
const BUSY_RETRY_MS = 2;
const BUSY_GIVE_UP_MS = 10_000;

/** Prisma's text format for SQLite DateTime columns, so rows written here sort and compare with its own. */
const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

function sqliteWriter(): AuditWriter {
  const db = new Database(absoluteDatabaseUrl(env().DATABASE_URL).slice("file:".length), { timeout: 0 });
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(`INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
  const readHead = db.prepare<[number], ChainHead>(`SELECT "seq", "hash" FROM "AuditChainHead" WHERE "id" = ?`);
  const createHead = db.prepare(`INSERT INTO "AuditChainHead" ("id", "seq", "hash", "updatedAt") VALUES (?, 0, '', ?)`);
  const updateHead = db.prepare(`UPDATE "AuditChainHead" SET "seq" = ?, "hash" = ?, "updatedAt" = ? WHERE "id" = ?`);
  const insertCheckpoint = db.prepare(`INSERT INTO "AuditCheckpoint" ("seq", "hash", "signature", "createdAt") VALUES (?, ?, ?, ?)`);
  const appendAll = db.transaction((rows: AuditRow[]) => {
    const now = sqliteTime(new Date());
    let head = readHead.get(CHAIN_HEAD_ID);
    if (!head) {
      createHead.run(CHAIN_HEAD_ID, now);
      head = { seq: 0, hash: "" };
    }
    const { linked, head: next } = linkRows(head, rows);
    for (const r of linked) insert.run(COLUMNS.map((c) => (r[c] instanceof Date ? sqliteTime(r[c]) : r[c])));
    updateHead.run(next.seq, next.hash, now, CHAIN_HEAD_ID);
    if (crossesCheckpoint(head.seq, next.seq)) insertCheckpoint.run(next.seq, next.hash, checkpointSignature(next.seq, next.hash), now);
    return linked;
  });
  return async (rows) => {
    const started = Date.now();
    for (;;) {
      try {
        const linked = appendAll.immediate(rows);
        scheduleCheckpoint();
        return linked;
      } catch (e) {
        const busy = (e as { code?: string }).code === "SQLITE_BUSY";
        if (!busy || Date.now() - started > BUSY_GIVE_UP_MS) throw e;
        await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
      }
    }
  };
}

function postgresWriter(db: () => DbClient): AuditWriter {
  return async (rows) => {
    return db().$transaction((tx) => appendToChain(tx, rows), APPEND_TRANSACTION);
  };
}

export function createAuditWriter(db: () => DbClient): AuditWriter {
  return databaseProvider() === "postgresql" ? postgresWriter(db) : sqliteWriter();
}
