// Writes batches of audit rows for the group-commit batcher, the fastest safe way for each provider. Every batch
// joins the hash chain with one head read and one head update (chain.ts), which keeps the chain's cost per row to a
// hash.
//
// SQLite: a worker thread with its own connection (sqlite-append-worker.mjs) links and writes each batch in one
// BEGIN IMMEDIATE transaction, off the event loop that answers requests; what stays here is posting the rows and
// settling the callers. A batch's promise resolves only once the worker committed it.
// PostgreSQL: a transaction through the pool that locks the head row (FOR UPDATE) and inserts the batch in one
// multi-row INSERT; the driver already waits off the event loop.
import { Worker } from "node:worker_threads";
import { type DbClient, databaseProvider } from "@/lib/db/client";
import { absoluteDatabaseUrl } from "@/lib/db/url";
import { SAFETY_NET_PAGES } from "@/lib/db/wal-checkpointer";
import { env } from "@/lib/env";
import { workerScript } from "@/lib/worker-script";
import { APPEND_TRANSACTION, type AuditRow, appendToChain, CHAIN_HEAD_ID, type ChainedRow, type ChainHead, checkpointKey, scheduleCheckpoint, withLinks } from "./chain";

/** The rows of a committed batch as chained (positions and hashes), built only when asked: by the SIEM sink. */
export type CommittedRows = () => ChainedRow[];
/**
 * Appends and commits the rows; resolves once they are committed.
 * maxInFlight: how many batches it may be given before the first resolves (it must then commit them in order).
 */
export type AuditWriter = ((rows: AuditRow[]) => Promise<CommittedRows>) & { maxInFlight?: number };

/** Batches the SQLite worker may hold: enough that it never waits for the event loop, few enough to bound memory. */
const WORKER_MAX_IN_FLIGHT = 4;

/** How long the worker waits for SQLite's write lock before the batch fails. */
const BUSY_GIVE_UP_MS = 10_000;
const WORKER_SCRIPT = "lib/audit/sqlite-append-worker.mjs";

type Reply = { id: number; head: ChainHead; hashes: string[]; error?: undefined } | { id: number; error: { message: string; code?: string } };
type InFlight = { rows: AuditRow[]; resolve: (rows: CommittedRows) => void; reject: (e: unknown) => void };

// The columns as the worker takes them: an array per row is the cheapest thing to post to another thread
const toTuple = (r: AuditRow) => [r.id, r.createdAt.getTime(), r.actorType, r.actorId, r.actorLabel, r.action, r.targetType, r.targetId, r.result, r.details, r.ip];

function sqliteWriter(): AuditWriter {
  const file = absoluteDatabaseUrl(env().DATABASE_URL).slice("file:".length);
  const inFlight = new Map<number, InFlight>();
  let worker: Worker | undefined;
  let nextId = 0;

  const failAll = (e: unknown) => {
    for (const p of inFlight.values()) p.reject(e);
    inFlight.clear();
  };
  const start = (): Worker => {
    const script = workerScript(WORKER_SCRIPT);
    if (!script) throw new Error(`the audit append worker ${WORKER_SCRIPT} is missing (Deputy runs from its repository root)`);
    const w = new Worker(script, {
      workerData: { file, checkpointKey: checkpointKey(), busyTimeoutMs: BUSY_GIVE_UP_MS, headId: CHAIN_HEAD_ID, walAutocheckpoint: SAFETY_NET_PAGES },
    });
    w.on("message", (reply: Reply) => {
      const p = inFlight.get(reply.id);
      inFlight.delete(reply.id);
      // an idle worker must not keep a short-lived process (the CLI, a test) alive; a busy one must
      if (inFlight.size === 0) w.unref();
      if (!p) return;
      if (reply.error) return p.reject(Object.assign(new Error(`audit append failed: ${reply.error.message}`), { code: reply.error.code }));
      scheduleCheckpoint();
      const { head, hashes } = reply;
      p.resolve(() => withLinks(head, p.rows, hashes));
    });
    // a crashed worker fails what it held; the next batch starts a new one
    const gone = (e: unknown) => {
      if (worker === w) worker = undefined;
      failAll(e);
    };
    w.on("error", gone);
    w.on("exit", (code) => gone(new Error(`the audit append worker exited (code ${code})`)));
    return w;
  };

  const write: AuditWriter = (rows) =>
    new Promise<CommittedRows>((resolve, reject) => {
      try {
        worker ??= start();
        worker.ref();
        const id = nextId++;
        inFlight.set(id, { rows, resolve, reject });
        worker.postMessage({ id, rows: rows.map(toTuple) });
      } catch (e) {
        reject(e);
      }
    });
  // the worker handles messages one at a time, in the order posted: batches commit in order
  write.maxInFlight = WORKER_MAX_IN_FLIGHT;
  return write;
}

function postgresWriter(db: () => DbClient): AuditWriter {
  return async (rows) => {
    const linked = await db().$transaction((tx) => appendToChain(tx, rows), APPEND_TRANSACTION);
    return () => linked;
  };
}

export function createAuditWriter(db: () => DbClient): AuditWriter {
  return databaseProvider() === "postgresql" ? postgresWriter(db) : sqliteWriter();
}
