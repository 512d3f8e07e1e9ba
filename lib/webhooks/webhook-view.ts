// What leaves the server about a webhook: never its secret, sealed or not; only the last four characters.
import type { Webhook, WebhookDelivery } from "@/generated/sqlite/client";

export type WebhookView = {
  id: string;
  name: string;
  url: string;
  /** ["*"] for every event */
  events: string[];
  enabled: boolean;
  secretLast4: string;
  createdById: string | null;
  createdAt: string;
  updatedAt: string;
};

export type WebhookDeliveryView = {
  id: string;
  webhookId: string;
  event: string;
  status: string;
  attempts: number;
  /** when the next attempt is due; null once delivered or failed */
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** the JSON body exactly as sent and signed */
  payload: string;
};

export function toWebhookView(w: Webhook): WebhookView {
  return {
    id: w.id,
    name: w.name,
    url: w.url,
    events: w.events.split(" ").filter(Boolean),
    enabled: w.enabled,
    secretLast4: w.secretLast4,
    createdById: w.createdById,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function toDeliveryView(d: WebhookDelivery): WebhookDeliveryView {
  return {
    id: d.id,
    webhookId: d.webhookId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    payload: d.payload,
  };
}
