// A worker thread that moves SQLite's WAL into the database file (a checkpoint) every INTERVAL_MS, so that no
// connection that answers requests has to. A checkpoint ends with an fsync that can take milliseconds; done by
// SQLite's automatic checkpoint it would fall on whichever commit crossed the threshold: on the event loop (Prisma's
// connection) or inside an audit batch that callers are waiting for. PASSIVE never blocks readers or writers: it
// copies what it can and the next round does the rest. Plain JavaScript: it runs as is, without a build.
import { workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { file, intervalMs, restartAfterFrames } = workerData;
const db = new Database(file, { timeout: 0 });
db.pragma("synchronous = NORMAL");
db.pragma("wal_autocheckpoint = 0");

/** At most this many frames left for a RESTART to copy: it copies them holding the write lock, then syncs twice. */
const RESTART_WHEN_BEHIND = 32;
const MAX_CATCH_UP_PASSES = 4;

const passive = () => db.pragma("wal_checkpoint(PASSIVE)")[0];

setInterval(() => {
  try {
    let { log, checkpointed } = passive();
    // A copied WAL is reused from its start only when a writer finds no reader in it, which a busy server rarely
    // offers: it would grow until the automatic checkpoint fell on a writer. RESTART without waiting (timeout 0)
    // resets it when nobody is in it right now, else says busy at once and the next round tries again.
    if (log < restartAfterFrames || checkpointed !== log) return;
    // But RESTART first copies what was written since, under the write lock: after a long copy, a hundred frames or
    // more and milliseconds that the audit writer waited (measured: 3-11 ms, every second under load). So copy
    // again without the lock until a pass finds only a few new frames; then little is left for RESTART to copy.
    for (let pass = 0; pass < MAX_CATCH_UP_PASSES; pass++) {
      const before = log;
      ({ log, checkpointed } = passive());
      if (checkpointed !== log) return; // a reader holds older frames: RESTART could not finish now
      if (log - before <= RESTART_WHEN_BEHIND) break;
    }
    db.pragma("wal_checkpoint(RESTART)");
  } catch {
    // busy or locked: the next round tries again
  }
}, intervalMs);
