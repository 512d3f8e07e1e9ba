import { formatDateTime } from "@/components/format";
import { EmptyState } from "@/components/ui/states";
import type { IssuedTokenView } from "@/lib/agents/agent-view";
import { RECENT_TOKENS } from "@/lib/agents/limits";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";

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
            <DataTable columns={["Issued", "Expires", "Scope", "Audience", "jti"]}>
              {tokens.map((t) => (
                <tr key={t.eventId}>
                  <td className="px-4 py-2 text-slate-500">{formatDateTime(t.issuedAt)}</td>
                  <td className="px-4 py-2 text-slate-500">{formatDateTime(t.expiresAt)}</td>
                  <td className="px-4 py-2 font-mono text-xs">{t.scope || "—"}</td>
                  <td className="px-4 py-2 font-mono text-xs">{t.aud ?? "—"}</td>
                  <td className="px-4 py-2 font-mono text-xs text-slate-400">{t.jti ?? "—"}</td>
                </tr>
              ))}
            </DataTable>
            <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-400">At most the last {RECENT_TOKENS} tokens are shown.</p>
          </>
        )}
      </Card>
    </div>
  );
}
