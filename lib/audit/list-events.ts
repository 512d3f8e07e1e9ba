// Lists audit events newest first, with keyset paging on (createdAt, id): each page is one index range scan,
// however deep into the trail it is.
import { z } from "zod";
import type { Db } from "@/lib/db/client";

export const listEventsQuery = z.object({
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
  result: z.string().max(40).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListEventsQuery = z.input<typeof listEventsQuery>;

export type AuditEventView = {
  id: string;
  createdAt: string;
  actor: { type: string; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string } | null;
  result: string;
  details: Record<string, unknown>;
  ip: string | null;
};

function encodeCursor(createdAt: Date, id: string) {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}
function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(iso ?? "");
  return id && !Number.isNaN(createdAt.getTime()) ? { createdAt, id } : null;
}

export async function listAuditEvents(db: Db, input: ListEventsQuery) {
  const q = listEventsQuery.parse(input);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const rows = await db.auditEvent.findMany({
    where: {
      ...(q.action ? { action: q.action } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.targetId ? { targetId: q.targetId } : {}),
      ...(q.result ? { result: q.result } : {}),
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    events: page.map(
      (r): AuditEventView => ({
        id: r.id,
        createdAt: r.createdAt.toISOString(),
        actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
        action: r.action,
        target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
        result: r.result,
        details: JSON.parse(r.details) as Record<string, unknown>,
        ip: r.ip,
      }),
    ),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
