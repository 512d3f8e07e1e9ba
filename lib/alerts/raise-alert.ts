// Writes one alert, its audit event (alert.raise) and its alert.raised webhook in one transaction: a receiver hears of
// an alert if and only if it is on record.
import { systemActor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Prisma } from "@/generated/sqlite/client";
import { newId } from "@/lib/ids";
import { enqueueWebhookEvent } from "@/lib/webhooks/enqueue";
import type { AlertCandidate } from "./rules";

export const ANOMALY_ACTOR = systemActor("anomaly-detection", "anomaly detection");

/** Inside the caller's transaction (which may also hold the rule's own write, e.g. the first use of a tool). */
export async function raiseAlert(tx: Prisma.TransactionClient, c: AlertCandidate, now: Date): Promise<string> {
  const id = newId("alert", now.getTime());
  await tx.alert.create({
    data: { id, agentId: c.agentId, rule: c.rule, message: c.message, eventId: c.eventId, details: canonicalJson(c.details), createdAt: now },
  });
  await recordAuditEvent(
    tx,
    {
      actor: ANOMALY_ACTOR,
      action: "alert.raise",
      target: { type: "alert", id },
      details: { agentId: c.agentId, rule: c.rule, message: c.message, decisionId: c.eventId, ...c.details },
    },
    now,
  );
  await enqueueWebhookEvent(
    tx,
    "alert.raised",
    { alert_id: id, agent_id: c.agentId, rule: c.rule, message: c.message, decision_id: c.eventId, details: c.details, created_at: now.toISOString() },
    now,
  );
  return id;
}
