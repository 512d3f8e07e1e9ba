// The console's incident banner: shown on every page while a freeze is in force, so nobody works unaware of it.
import Link from "next/link";
import type { FreezeView } from "@/lib/freezes/freeze-view";

export function IncidentBanner({ freezes }: { freezes: FreezeView[] }) {
  if (freezes.length === 0) return null;
  const agents = freezes.reduce((n, f) => n + f.frozenAgents, 0);
  const scopes = freezes.map((f) => (f.nodeId ? (f.nodePath ?? f.nodeId) : "every agent")).join(", ");
  return (
    <div role="alert" data-testid="incident-banner" className="mb-4 flex items-center justify-between gap-4 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
      <span>
        <strong>Incident mode:</strong> {freezes.length === 1 ? "a freeze is" : `${freezes.length} freezes are`} in force ({scopes}); {agents}{" "}
        {agents === 1 ? "agent is" : "agents are"} suspended.
      </span>
      <Link href="/agents#freezes" className="shrink-0 font-medium underline">
        Review freezes
      </Link>
    </div>
  );
}
