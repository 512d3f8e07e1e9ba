// Acknowledging an alert: someone has looked at it. Once only: the conditional update lets exactly one of two racing
// acknowledgements win; the other (and any later one) is told who acknowledged it first.
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type AlertView, toAlertViews } from "./list-alerts";

export async function acknowledgeAlert(db: Db, id: string, actor: Actor, now = new Date()): Promise<AlertView> {
  const row = await inTransaction(db, async (tx) => {
    const { count } = await tx.alert.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: now, acknowledgedById: actor.id } });
    const alert = await tx.alert.findUnique({ where: { id } });
    if (!alert) throw notFound("Alert");
    if (count === 0) {
      const [view] = await toAlertViews(tx, [alert]);
      throw new AppError("conflict", `This alert was already acknowledged by ${view!.acknowledgedBy?.label ?? alert.acknowledgedById} at ${alert.acknowledgedAt!.toISOString()}`);
    }
    await recordAuditEvent(
      tx,
      { actor, action: "alert.acknowledge", target: { type: "alert", id }, details: { agentId: alert.agentId, rule: alert.rule, decisionId: alert.eventId } },
      now,
    );
    return alert;
  });
  return (await toAlertViews(db, [row]))[0]!;
}
