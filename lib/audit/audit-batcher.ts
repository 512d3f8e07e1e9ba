// Group commit for high-volume audit events (token issuance, decisions): events that arrive within a few
// milliseconds are written in one multi-row insert, and each caller's promise settles only when its row is
// committed, so an answered request always has its audit row. Changes of state do not use this: they write their
// event in their own transaction (record-event.ts).
import { type DbClient, getDb } from "@/lib/db/client";
import { type AuditInput, toAuditRow } from "./record-event";

const MAX_BATCH = 200;
const MAX_WAIT_MS = 2;

type Row = ReturnType<typeof toAuditRow>;
type Pending = { row: Row; resolve: () => void; reject: (e: unknown) => void };

export class AuditBatcher {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: () => DbClient) {}

  record(input: AuditInput, now = new Date()): Promise<void> {
    const row = toAuditRow(input, now); // invalid events fail here, in the caller, not in someone else's batch
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (this.queue.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), MAX_WAIT_MS);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.db()
      .auditEvent.createMany({ data: batch.map((p) => p.row) })
      .then(
        () => batch.forEach((p) => p.resolve()),
        (e: unknown) => batch.forEach((p) => p.reject(e)),
      );
  }
}

const g = globalThis as unknown as { __deputyAuditBatcher?: AuditBatcher };
export function auditBatcher(): AuditBatcher {
  return (g.__deputyAuditBatcher ??= new AuditBatcher(getDb));
}
