// The SQLite audit append worker: a worker thread that owns one connection and appends the group-commit batcher's
// batches to the hash chain (linking with SHA-256, inserting, updating the head, checkpointing), so none of that
// runs on the event loop that answers requests. Plain JavaScript: it runs as is, without a build, in the server,
// the tests and the benchmarks.
//
// Each batch is one BEGIN IMMEDIATE transaction: the write lock is taken before the head is read, so positions are
// never handed out twice (chain.ts). While another connection holds that lock, the batch is tried again every
// quarter millisecond, up to busyTimeoutMs. Its own connection, not Prisma's: Prisma's SQLite adapter runs queries made
// outside a transaction on the connection of an open interactive one, where rows would commit or roll back with
// someone else's change. Waiting for a busy lock blocks only this thread.
//
// Messages in: { id, rows: [[id, createdAtMs, actorType, actorId, actorLabel, action, targetType, targetId, result,
// details, ip], ...] }. Out: { id, head: {seq, hash} before the batch, hashes } or { id, error: {message, code} }.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { chainHashes, crossesCheckpoint, signCheckpoint } from "./chain-link.mjs";

const { file, checkpointKey, busyTimeoutMs, headId, walAutocheckpoint } = workerData;
const COLUMNS = ["id", "createdAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "details", "ip", "seq", "prevHash", "hash"];

/** Prisma's text format for SQLite DateTime columns, so rows written here sort and compare with its own (as lib/db/sqlite-time.ts). */
const sqliteTime = (d) => d.toISOString().replace("Z", "+00:00");

const db = new Database(file, { timeout: busyTimeoutMs });
// SQLite's busy handler sleeps 1, 2, 5, 10, ... ms between tries, so a write lock that Prisma's connection held for
// 3 ms cost a batch 18 ms. Once set up (below), this connection has none: appendWhenFree asks every RETRY_MS instead.
const RETRY_MS = 0.25;
const pause = new Int32Array(new SharedArrayBuffer(4));
db.pragma("synchronous = NORMAL");
// checkpoints belong to the checkpointer thread (lib/db/wal-checkpointer.ts): never inside a batch callers wait for
db.pragma(`wal_autocheckpoint = ${walAutocheckpoint}`);
const insert = db.prepare(`INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
const readHead = db.prepare(`SELECT "seq", "hash" FROM "AuditChainHead" WHERE "id" = ?`);
const createHead = db.prepare(`INSERT INTO "AuditChainHead" ("id", "seq", "hash", "updatedAt") VALUES (?, 0, '', ?)`);
const updateHead = db.prepare(`UPDATE "AuditChainHead" SET "seq" = ?, "hash" = ?, "updatedAt" = ? WHERE "id" = ?`);
const insertCheckpoint = db.prepare(`INSERT INTO "AuditCheckpoint" ("seq", "hash", "signature", "createdAt") VALUES (?, ?, ?, ?)`);

// One statement per FULL_INSERT rows while the batch lasts, then one per row: fewer statement runs per batch
const FULL_INSERT = 32;
const insertMany = db.prepare(`INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${Array.from({ length: FULL_INSERT }, () => `(${COLUMNS.map(() => "?").join(", ")})`).join(", ")}`);

const append = db.transaction((tuples) => {
  const now = sqliteTime(new Date());
  let head = readHead.get(headId);
  if (!head) {
    createHead.run(headId, now);
    head = { seq: 0, hash: "" };
  }
  const rows = tuples.map(([id, createdAt, actorType, actorId, actorLabel, action, targetType, targetId, result, details, ip]) => ({
    id, createdAt: new Date(createdAt), actorType, actorId, actorLabel, action, targetType, targetId, result, details, ip,
  }));
  const hashes = chainHashes(head, rows);
  const values = rows.map((r, i) => [r.id, sqliteTime(r.createdAt), r.actorType, r.actorId, r.actorLabel, r.action, r.targetType, r.targetId, r.result, r.details, r.ip, head.seq + 1 + i, i ? hashes[i - 1] : head.hash, hashes[i]]);
  let i = 0;
  for (; i + FULL_INSERT <= values.length; i += FULL_INSERT) insertMany.run(values.slice(i, i + FULL_INSERT).flat());
  for (; i < values.length; i++) insert.run(values[i]);
  const next = { seq: head.seq + rows.length, hash: hashes[hashes.length - 1] ?? head.hash };
  updateHead.run(next.seq, next.hash, now, headId);
  if (crossesCheckpoint(head.seq, next.seq)) insertCheckpoint.run(next.seq, next.hash, signCheckpoint(checkpointKey, next.seq, next.hash), now);
  return { seq: head.seq, hash: head.hash, hashes };
});

db.pragma("busy_timeout = 0");

/** The batch in one BEGIN IMMEDIATE transaction, retried while another connection holds the write lock. */
function appendWhenFree(tuples) {
  const giveUp = performance.now() + busyTimeoutMs;
  for (;;) {
    try {
      return append.immediate(tuples);
    } catch (e) {
      // busy: nothing of the batch was written (better-sqlite3 rolled back), so it is simply run again
      if (!String(e?.code).startsWith("SQLITE_BUSY") || performance.now() >= giveUp) throw e;
      Atomics.wait(pause, 0, 0, RETRY_MS); // this thread only: the event loop never waits here
    }
  }
}

parentPort.on("message", ({ id, rows }) => {
  try {
    const { seq, hash, hashes } = appendWhenFree(rows);
    parentPort.postMessage({ id, head: { seq, hash }, hashes });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: e instanceof Error ? e.message : String(e), code: e?.code } });
  }
});
