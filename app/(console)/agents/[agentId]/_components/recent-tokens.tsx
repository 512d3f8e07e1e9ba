import { formatDateTime } from "@/components/format";
import { EmptyState } from "@/components/ui/states";
import type { IssuedTokenView } from "@/lib/agents/agent-view";
import { RECENT_TOKENS } from "@/lib/agents/limits";
import { Card } from "./card";

/** The last tokens the agent was issued, from the audit trail (token.issue events). */
export function RecentTokens({ tokens }: { tokens: IssuedTokenView[] }) {
  return (
    <div className="mt-6">
      <Card title="Recent tokens" testId="recent-tokens">
        {tokens.length === 0 ? (
          <div className="p-4">
            <EmptyState title="No tokens issued yet">Tokens appear here when the agent gets them from the token endpoint.</EmptyState>
          </div>
        ) : (
          <>
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-4 py-2">Issued</th>
                  <th className="px-4 py-2">Expires</th>
                  <th className="px-4 py-2">Scope</th>
                  <th className="px-4 py-2">Audience</th>
                  <th className="px-4 py-2">jti</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((t) => (
                  <tr key={t.eventId}>
                    <td className="px-4 py-2 text-slate-500">{formatDateTime(t.issuedAt)}</td>
                    <td className="px-4 py-2 text-slate-500">{formatDateTime(t.expiresAt)}</td>
                    <td className="px-4 py-2 font-mono text-xs">{t.scope || "—"}</td>
                    <td className="px-4 py-2 font-mono text-xs">{t.aud ?? "—"}</td>
                    <td className="px-4 py-2 font-mono text-xs text-slate-400">{t.jti ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-400">At most the last {RECENT_TOKENS} tokens are shown.</p>
          </>
        )}
      </Card>
    </div>
  );
}
