// Group commit for high-volume audit events (token issuance, decisions). Events are queued and written together, one
// multi-row insert per batch. Each caller's promise settles only when its row is committed, so an answered request
// always has its audit row. Changes of state do not use this: they write their event in their own transaction
// (record-event.ts).
//
// When to write: a commit costs about as much as tens of rows (SQLite writes a page of every index it touched), so
// batches start at most every GROUP_WINDOW_MS. An idle server writes at the end of the current event-loop turn; a
// busy one gathers for at most the window; a full batch goes at once.
//
// A writer that commits in order off the event loop (the SQLite worker) takes several batches at once, so the next
// batch never waits for the previous one's reply; others (PostgreSQL, where batches would only queue for the chain
// head's lock) take one at a time. Batches are forwarded to the SIEM sink in commit order, one at a time.
import { getDb } from "@/lib/db/client";
import { type AuditWriter, type CommittedRows, createAuditWriter } from "./audit-writer";
import { forwardCommittedAuditRows } from "./audit-sink";
import type { AuditRow } from "./chain";
import { type AuditInput, toAuditRow } from "./record-event";

const MAX_BATCH = 500;
/** Batches start at least this far apart (a busy server's commits each carry more rows). */
const GROUP_WINDOW_MS = 1;
/** A batch this big goes at once, window or not. */
const FULL_BATCH = 64;

type Pending = { row: AuditRow; resolve: (id: string) => void; reject: (e: unknown) => void };

export class AuditBatcher {
  private queue: Pending[] = [];
  /** batches handed to the writer and not yet through afterCommit */
  private inFlight = 0;
  private scheduled = false;
  private lastFlushAt = -Infinity;
  private forwarded: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: AuditWriter,
    /** after a batch committed and its callers were answered: the SIEM sink (audit-sink.ts) */
    private readonly afterCommit: (rows: CommittedRows) => Promise<void> = async () => {},
  ) {}

  /** Resolves with the event's id once its row is committed. */
  record(input: AuditInput, now = new Date()): Promise<string> {
    const row = toAuditRow(input, now); // invalid events fail here, in the caller, not in someone else's batch
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (this.queue.length >= FULL_BATCH && this.canWrite()) void this.flush();
      else this.schedule();
    });
  }

  private canWrite(): boolean {
    return this.inFlight < (this.write.maxInFlight ?? 1);
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || !this.canWrite()) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      if (this.queue.length > 0 && this.canWrite()) void this.flush();
    };
    const wait = this.lastFlushAt + GROUP_WINDOW_MS - performance.now();
    if (wait > 0) setTimeout(go, wait);
    else setImmediate(go);
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight += 1;
    this.lastFlushAt = performance.now();
    try {
      const committed = await this.write(batch.map((p) => p.row));
      for (const p of batch) p.resolve(p.row.id);
      // in commit order, and counted in flight until done: a slow sink slows the batcher instead of piling up
      // forwards in memory
      await (this.forwarded = this.forwarded.then(() => this.afterCommit(committed)));
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }
}

const g = globalThis as unknown as { __deputyAuditBatcher?: AuditBatcher };
export function auditBatcher(): AuditBatcher {
  return (g.__deputyAuditBatcher ??= new AuditBatcher(createAuditWriter(getDb), (rows) => forwardCommittedAuditRows(getDb, rows)));
}
