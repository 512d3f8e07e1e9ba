// Exports a filtered range of the audit trail as JSON Lines or CSV, streamed: a pull-based ReadableStream that reads
// one keyset page when the reader wants more and writes it out, so memory stays at one page whatever the range, and
// a slow client slows the reads down instead of filling a buffer.
//
// The export is itself audited (audit.export, with its filters), and covers the trail up to that event, excluding
// it: events recorded while the file streams are not in it, so two pages can never disagree about the range.
import { z } from "zod";
import type { AuditEvent } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "./actor";
import { auditFilterShape, checkRange, resolveAuditFilter } from "./event-filters";
import { type Cursor, pageOfEvents, toAuditEventView } from "./list-events";
import { looksLikeSecret, recordAuditEvent } from "./record-event";

export const EXPORT_FORMATS = ["jsonl", "csv"] as const;
export const exportEventsQuery = z.object({ ...auditFilterShape, format: z.enum(EXPORT_FORMATS) }).superRefine(checkRange);
export type ExportEventsQuery = z.output<typeof exportEventsQuery>;

export const EXPORT_PAGE = 500;

export const CSV_COLUMNS = ["id", "created_at", "seq", "actor_type", "actor_id", "actor_label", "action", "target_type", "target_id", "result", "ip", "details", "prev_hash", "hash"] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. A cell a
 * spreadsheet would run as a formula (= + - @, or a tab or CR before one) gets a leading single quote first: audit
 * details carry text agents and users chose (CSV injection, OWASP).
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

function csvLine(r: AuditEvent): string {
  return csvRow([r.id, r.createdAt.toISOString(), r.seq, r.actorType, r.actorId, r.actorLabel, r.action, r.targetType, r.targetId, r.result, r.ip, r.details, r.prevHash, r.hash]);
}

const jsonLine = (r: AuditEvent) => `${JSON.stringify(toAuditEventView(r))}\n`;

/** What was asked for, as it goes into the audit.export event: the filters as given, dates as ISO strings. */
function describe(q: ExportEventsQuery): Record<string, unknown> {
  const filters = Object.fromEntries(
    Object.entries(q)
      .filter(([k, v]) => k !== "format" && v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
  return { format: q.format, filters };
}

export type AuditExport = { stream: ReadableStream<Uint8Array>; filename: string; contentType: string; exportEventId: string };

export async function exportAuditEvents(db: Db, q: ExportEventsQuery, actor: Actor, ip: string | null = null, now = new Date(), pageSize = EXPORT_PAGE): Promise<AuditExport> {
  // the filters go into the audit trail, which refuses anything that looks like a secret: say so as a 400, not a 500
  for (const [k, v] of Object.entries(q)) {
    if (typeof v === "string" && looksLikeSecret(v)) throw new AppError("validation_failed", `${k}: looks like a Deputy secret; never put a secret here`, [{ path: k, message: "looks like a secret" }]);
  }
  const filter = await resolveAuditFilter(db, q); // a bad node is a 400 before anything is recorded or sent
  const exportEventId = await recordAuditEvent(db, { actor, action: "audit.export", details: describe(q), ip }, now);
  let after: Cursor | null = { createdAt: now, id: exportEventId };
  const encoder = new TextEncoder();
  const line = q.format === "csv" ? csvLine : jsonLine;

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (q.format === "csv") controller.enqueue(encoder.encode(csvRow([...CSV_COLUMNS])));
      },
      async pull(controller) {
        if (!after) return;
        const rows = await pageOfEvents(db, filter, after, pageSize);
        if (rows.length > 0) controller.enqueue(encoder.encode(rows.map(line).join("")));
        const last = rows.at(-1);
        after = rows.length === pageSize && last ? { createdAt: last.createdAt, id: last.id } : null;
        if (!after) controller.close();
      },
    },
    // one page at a time: the next read from the database waits until the reader has taken the last one
    { highWaterMark: 1 },
  );
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
  return {
    stream,
    filename: `deputy-audit-${stamp}.${q.format}`,
    contentType: q.format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/jsonl; charset=utf-8",
    exportEventId,
  };
}
