"use client";
// The events a webhook takes: "All events" (which also takes events added later) or a chosen few.
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";

const LABELS: Record<(typeof WEBHOOK_EVENTS)[number], string> = {
  "approval.requested": "An approval is requested",
  "approval.decided": "An approval is decided",
  "agent.killed": "An agent is killed",
  "alert.raised": "An anomaly alert is raised",
  "audit.event": "Every audit event (for a SIEM)",
};

export function EventPicker({ value, onChange }: { value: string[]; onChange: (events: string[]) => void }) {
  const all = value.includes("*");
  const toggle = (event: string, on: boolean) => onChange(on ? [...value.filter((e) => e !== event), event] : value.filter((e) => e !== event));
  return (
    <fieldset className="space-y-1.5">
      <legend className="mb-1 text-sm font-medium text-slate-700">Events</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.target.checked ? ["*"] : [])} />
        All events, including ones added later
      </label>
      {WEBHOOK_EVENTS.map((event) => (
        <label key={event} className={`flex items-center gap-2 pl-5 text-sm ${all ? "text-slate-400" : ""}`}>
          <input type="checkbox" disabled={all} checked={all || value.includes(event)} onChange={(e) => toggle(event, e.target.checked)} />
          <span>{LABELS[event]}</span>
          <code className="text-xs text-slate-500">{event}</code>
        </label>
      ))}
    </fieldset>
  );
}
