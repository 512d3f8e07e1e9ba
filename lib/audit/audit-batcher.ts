// Group commit for high-volume audit events (token issuance, decisions). Events recorded during one turn of the
// event loop are written together on the next (one multi-row insert; one batch at a time, the next batch gathering
// while it is written). Each caller's promise settles only when its row is committed, so an answered request always
// has its audit row, and nobody waits on a timer. Changes of state do not use this: they write their event in their
// own transaction (record-event.ts).
import { getDb } from "@/lib/db/client";
import { type AuditWriter, createAuditWriter } from "./audit-writer";
import { forwardCommittedAuditRows } from "./audit-sink";
import type { AuditRow, ChainedRow } from "./chain";
import { type AuditInput, toAuditRow } from "./record-event";

const MAX_BATCH = 500;

type Pending = { row: AuditRow; resolve: (id: string) => void; reject: (e: unknown) => void };

export class AuditBatcher {
  private queue: Pending[] = [];
  private writing = false;
  private scheduled = false;

  constructor(
    private readonly write: AuditWriter,
    /** after a batch committed and its callers were answered: the SIEM sink (audit-sink.ts) */
    private readonly afterCommit: (rows: ChainedRow[]) => Promise<void> = async () => {},
  ) {}

  /** Resolves with the event's id once its row is committed. */
  record(input: AuditInput, now = new Date()): Promise<string> {
    const row = toAuditRow(input, now); // invalid events fail here, in the caller, not in someone else's batch
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.writing = true;
    try {
      const linked = await this.write(batch.map((p) => p.row));
      for (const p of batch) p.resolve(p.row.id);
      // awaited before the next batch: a slow sink slows the batcher instead of piling up forwards in memory
      await this.afterCommit(linked);
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.writing = false;
      this.schedule();
    }
  }
}

const g = globalThis as unknown as { __deputyAuditBatcher?: AuditBatcher };
export function auditBatcher(): AuditBatcher {
  return (g.__deputyAuditBatcher ??= new AuditBatcher(createAuditWriter(getDb), (rows) => forwardCommittedAuditRows(getDb, rows)));
}
