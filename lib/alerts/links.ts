// Where an alert's decision is in the audit log: the /audit URL's filters (lib/audit/event-filters.ts, a public
// contract) narrowed to the agent's decision.make events in the millisecond the decision was made. No server
// imports: the console uses it.
export function alertAuditHref(alert: { agent: { id: string }; createdAt: string; eventId: string | null }): string {
  const at = new Date(alert.createdAt).getTime();
  const params = new URLSearchParams({
    agent: alert.agent.id,
    action: "decision.make",
    from: new Date(at).toISOString(),
    to: new Date(at + 1).toISOString(),
  });
  return `/audit?${params}`;
}

export const RULE_LABELS: Record<string, string> = {
  outside_task: "outside task",
  new_tool: "new tool",
  denial_burst: "denial burst",
  outside_window: "outside window",
};
