// Agents someone should look at: open alerts, secret rotation due, killed. Each links to the agent's page.
import Link from "next/link";
import { AgentStatusBadge } from "@/components/agent-badges";
import { Badge } from "@/components/ui/badge";
import type { AgentAttention } from "@/lib/dashboard/get-overview";

const REASON: Record<AgentAttention["reasons"][number], { tone: "red" | "amber" | "gray"; label: (a: AgentAttention) => string }> = {
  open_alerts: { tone: "amber", label: (a) => `${a.openAlerts} open alert${a.openAlerts === 1 ? "" : "s"}` },
  rotation_due: { tone: "amber", label: () => "secret rotation due" },
  killed: { tone: "red", label: () => "killed" },
};

export function AttentionList({ agents }: { agents: AgentAttention[] }) {
  if (agents.length === 0) {
    return (
      <div className="p-4">
        <div data-testid="empty" className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
          Nothing needs attention: no open alerts, no rotation due, no killed agents.
        </div>
      </div>
    );
  }
  return (
    <ul data-testid="attention-list" className="divide-y divide-slate-100">
      {agents.map((a) => (
        <li key={a.id} className="flex flex-wrap items-center gap-2 px-4 py-2.5 text-sm">
          <Link href={`/agents/${a.id}`} className="font-medium text-brand hover:underline">
            {a.name}
          </Link>
          <AgentStatusBadge status={a.status} />
          <span className="ml-auto flex flex-wrap gap-1">
            {a.reasons
              .filter((r) => r !== "killed")
              .map((r) => (
                <Badge key={r} tone={REASON[r].tone}>
                  {REASON[r].label(a)}
                </Badge>
              ))}
          </span>
        </li>
      ))}
    </ul>
  );
}
