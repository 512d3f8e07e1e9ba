// Lists audit events newest first, with keyset paging on (createdAt, id): each page is one index range scan from
// where the last one stopped, however deep into the trail it is (an OFFSET would re-read every row before it).
// Filters: event-filters.ts. Equality filters (user, actor, target, exact action) let the database walk their own
// (x, createdAt) index in order; the others are checked while walking (createdAt, id).
import { z } from "zod";
import type { AuditEvent } from "@/generated/sqlite/client";
import { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { decodeTimeCursor, encodeTimeCursor, type TimeCursor } from "@/lib/db/time-cursor";
import { auditFilterShape, checkRange, type ResolvedFilter, resolveAuditFilter, timeParam } from "./event-filters";

export const listEventsQuery = z
  .object({
    ...auditFilterShape,
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .superRefine(checkRange);
export type ListEventsQuery = z.output<typeof listEventsQuery>;

export type AuditEventView = {
  id: string;
  createdAt: string;
  actor: { type: string; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string } | null;
  result: string;
  details: Record<string, unknown>;
  ip: string | null;
  /** position in the hash chain and the hashes that link it (null for rows written before the chain existed) */
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
};

export function toAuditEventView(r: AuditEvent): AuditEventView {
  return {
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
    action: r.action,
    target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
    result: r.result,
    details: JSON.parse(r.details) as Record<string, unknown>,
    ip: r.ip,
    seq: r.seq,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

export type Cursor = TimeCursor;
export const encodeCursor = encodeTimeCursor;

const ORDER = Prisma.sql`ORDER BY "createdAt" DESC, "id" DESC`;

/** One keyset page of matching rows, newest first: `limit` rows strictly after `after`. */
export async function pageOfEvents(db: Db, filter: ResolvedFilter, after: Cursor | null, limit: number): Promise<AuditEvent[]> {
  const where = [...filter.where];
  if (after) {
    const t = timeParam(after.createdAt);
    // A row-value comparison: PostgreSQL turns it into an index bound on (createdAt, id), where the equivalent
    // `a < t OR (a = t AND id < x)` is only a filter (measured: a page deep in 2M rows 1.1 s -> 5 ms). The plain
    // bound lets the (x, createdAt) indexes stop early too. SQLite plans both forms alike.
    where.push(Prisma.sql`"createdAt" <= ${t} AND ("createdAt", "id") < (${t}, ${after.id})`);
  }
  const branch = (extra: Prisma.Sql[]) => {
    const all = [...extra, ...where];
    return Prisma.sql`SELECT "id", "createdAt" FROM "AuditEvent" ${all.length ? Prisma.sql`WHERE ${Prisma.join(all, " AND ")}` : Prisma.empty} ${ORDER} LIMIT ${limit}`;
  };
  let ids: { id: string }[];
  if (filter.agent) {
    // "actor or target" as one OR would read both indexes and sort every match; two ordered branches of at most
    // `limit` rows each, merged, read only what a page needs. The second skips rows the first already has.
    const a = filter.agent;
    ids = await db.$queryRaw<{ id: string }[]>`SELECT "id", "createdAt" FROM (${branch([Prisma.sql`"actorId" = ${a}`])}) AS by_actor
      UNION ALL SELECT "id", "createdAt" FROM (${branch([Prisma.sql`"targetId" = ${a}`, Prisma.sql`("actorId" IS NULL OR "actorId" <> ${a})`])}) AS by_target
      ${ORDER} LIMIT ${limit}`;
  } else {
    ids = await db.$queryRaw<{ id: string }[]>`${branch([])}`;
  }
  if (ids.length === 0) return [];
  const rows = await db.auditEvent.findMany({ where: { id: { in: ids.map((r) => r.id) } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((r) => byId.get(r.id) ?? []);
}

/** `q` is parsed already (the route parses the query string with listEventsQuery). */
export async function listAuditEvents(db: Db, q: ListEventsQuery) {
  const after = q.cursor ? decodeTimeCursor(q.cursor, "auditEvent") : null;
  const filter = await resolveAuditFilter(db, q);
  const rows = await pageOfEvents(db, filter, after, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    events: page.map(toAuditEventView),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
  };
}
