// The events webhooks can subscribe to. A module of its own, with no server imports, so the console can use it too.
export const WEBHOOK_EVENTS = ["approval.requested", "approval.decided", "agent.killed", "alert.raised", "audit.event"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Whether a webhook's space-separated event list takes this event ("*" takes all). */
export function subscribes(events: string, event: WebhookEvent): boolean {
  const list = events.split(" ");
  return list.includes("*") || list.includes(event);
}
