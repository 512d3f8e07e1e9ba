// One audit event, whole: what the console's detail drawer shows (links from other pages open it by id).
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type AuditEventView, toAuditEventView } from "./list-events";

export async function getAuditEvent(db: Db, id: string): Promise<AuditEventView> {
  const row = await db.auditEvent.findUnique({ where: { id } });
  if (!row) throw notFound("Audit event");
  return toAuditEventView(row);
}
