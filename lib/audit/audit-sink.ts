// The SIEM sink: webhooks subscribed to `audit.event` receive every audit event as it is recorded.
//
// Audit writes are hot (decisions, tokens), and almost always nobody subscribes: so whether anyone does is held in
// memory, refreshed at most every REFRESH_MS, and dropped at once when this process records a webhook.* event (a
// webhook was made, changed or removed). Other instances see such a change within REFRESH_MS. Nothing is read per
// event while nobody subscribes.
//
// Only an explicit `audit.event` subscription takes the stream; "*" does not: it would turn every token and decision
// into a delivery for receivers that asked for notifications (approvals, kills, alerts), not a firehose.
//
// recordAuditEvent queues in the change's own transaction (sent if and only if it commits); the batcher queues
// after its batch committed, in one createMany per batch.
import { type Db, type DbClient } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { webhookPayload } from "@/lib/webhooks/enqueue";
import { APPEND_TRANSACTION, type ChainedRow } from "./chain";

export const AUDIT_SINK_EVENT = "audit.event";
export const REFRESH_MS = 5_000;
/**
 * After a webhook change this process wrote, views loaded within this window may predate its commit (the change's
 * transaction is still open when it records its event): they are trusted only until the window ends.
 */
const SETTLE_MS = 1_000;

type View = { subscribed: boolean; freshUntil: number; settleUntil: number };
const g = globalThis as unknown as { __deputyAuditSink?: View };
const view = (): View => (g.__deputyAuditSink ??= { subscribed: false, freshUntil: 0, settleUntil: 0 });

export const takesAuditStream = (events: string) => events.split(" ").includes(AUDIT_SINK_EVENT);

/** Forget what we know: the next audit write reads the webhooks again. Called on every webhook.* audit event. */
export function invalidateAuditSink(now = Date.now()): void {
  const v = view();
  v.freshUntil = 0;
  v.settleUntil = now + SETTLE_MS;
}

async function subscribers(db: Db): Promise<string[]> {
  const hooks = await db.webhook.findMany({ where: { enabled: true }, select: { id: true, events: true }, orderBy: { id: "asc" } });
  return hooks.filter((h) => takesAuditStream(h.events)).map((h) => h.id);
}

/** Whether any enabled webhook takes the stream, from memory while fresh; otherwise one read through `db`. */
export async function auditSinkWanted(db: Db, now = Date.now()): Promise<boolean> {
  const v = view();
  if (now < v.freshUntil) return v.subscribed;
  const subscribed = (await subscribers(db)).length > 0;
  v.subscribed = subscribed;
  v.freshUntil = now < v.settleUntil ? v.settleUntil : now + REFRESH_MS;
  return subscribed;
}

/** Synchronous fast path for hot callers: false when nobody subscribes as far as a fresh view knows. */
export function auditSinkMaybeWanted(now = Date.now()): boolean {
  const v = view();
  return now >= v.freshUntil || v.subscribed;
}

/** The `data` of an audit.event delivery: the event as the API shows it, with its place in the hash chain. */
export function auditEventData(r: ChainedRow): Record<string, unknown> {
  return {
    id: r.id,
    created_at: r.createdAt.toISOString(),
    seq: r.seq,
    prev_hash: r.prevHash,
    hash: r.hash,
    actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
    action: r.action,
    target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
    result: r.result,
    details: JSON.parse(r.details) as unknown,
    ip: r.ip,
  };
}

/**
 * Queues one delivery per subscribed webhook and event, in one createMany. The subscribers are read again here, in
 * `db` (the change's transaction when there is one): a webhook removed since the view was loaded gets nothing.
 * Returns the number of deliveries queued.
 */
export async function queueAuditDeliveries(db: Db, rows: ChainedRow[], now = new Date()): Promise<number> {
  if (rows.length === 0) return 0;
  const hooks = await subscribers(db);
  if (hooks.length === 0) return 0;
  const data = hooks.flatMap((webhookId) =>
    rows.map((r) => {
      const id = newId("webhookDelivery", now.getTime());
      return { id, webhookId, event: AUDIT_SINK_EVENT, payload: webhookPayload(id, AUDIT_SINK_EVENT, auditEventData(r), now), nextAttemptAt: now, createdAt: now };
    }),
  );
  await db.webhookDelivery.createMany({ data });
  return data.length;
}

/**
 * For the batcher, after its batch committed. A transaction of its own: on SQLite, a query outside one may run inside
 * whatever interactive transaction is open on Prisma's connection (docs/performance.md) and share its fate.
 * Failures are logged, not thrown: the events are committed and their callers answered; the sink is best effort here.
 */
export async function forwardCommittedAuditRows(db: () => DbClient, rows: () => ChainedRow[]): Promise<void> {
  if (!auditSinkMaybeWanted()) return;
  try {
    const client = db();
    if (!(await auditSinkWanted(client))) return;
    const linked = rows();
    await client.$transaction((tx) => queueAuditDeliveries(tx, linked), APPEND_TRANSACTION);
  } catch (e) {
    console.error("audit sink: queueing deliveries failed", e);
  }
}
