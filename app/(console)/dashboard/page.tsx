import type { Metadata } from "next";
import Link from "next/link";
import { AlertList } from "@/components/alert-list";
import { PageHeader } from "@/components/page-header";
import { Badge, resultTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/components/format";
import { listAuditEvents } from "@/lib/audit/list-events";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { canSee } from "@/lib/auth/roles";
import { getOverview } from "@/lib/dashboard/get-overview";
import { databaseProvider, getDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { AttentionList } from "./_components/attention-list";
import { DecisionsChart } from "./_components/decisions-chart";

export const metadata: Metadata = { title: "Dashboard" };

function Stat({ label, value, href, detail, testId }: { label: string; value: number | string; href?: string; detail?: React.ReactNode; testId?: string }) {
  const body = (
    <div data-testid={testId} className="h-full rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
      {detail ? <div className="mt-1 text-xs text-slate-500">{detail}</div> : null}
    </div>
  );
  return href ? <Link href={href}>{body}</Link> : body;
}

export default async function DashboardPage() {
  const user = await requireConsoleUser("dashboard");
  const db = getDb();
  const showAudit = canSee(user.role, "audit");
  const [overview, health, recent] = await Promise.all([
    getOverview(db),
    checkHealth(db),
    showAudit ? listAuditEvents(db, { limit: 8 }) : Promise.resolve(null),
  ]);
  const { agentsByStatus: agents } = overview;
  const decisions24h = overview.decisionsByHour.reduce((n, h) => n + h.allow + h.deny + h.approval_required, 0);
  return (
    <>
      <PageHeader title="Dashboard" description={`Signed in as ${user.email}`} />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat
          label="Agents"
          testId="stat-agents"
          value={agents.active + agents.suspended + agents.killed}
          href="/agents"
          detail={
            <span className="flex gap-2">
              <span>{agents.active} active</span>
              <span>{agents.suspended} suspended</span>
              <span className={agents.killed ? "text-red-700" : undefined}>{agents.killed} killed</span>
            </span>
          }
        />
        <Stat label="Pending approvals" testId="stat-approvals" value={overview.pendingApprovals} href={canSee(user.role, "approvals") ? "/approvals" : undefined} />
        <Stat label="Open alerts" testId="stat-alerts" value={overview.openAlerts} href="#recent-alerts" />
        <Stat label="Decisions (24 h)" testId="stat-decisions" value={decisions24h} href={showAudit ? "/audit?action=decision.make" : undefined} />
      </div>

      <Card title="Decisions per hour (last 24 h, UTC)" className="mt-6">
        <div className="p-4">
          <DecisionsChart hours={overview.decisionsByHour} />
        </div>
      </Card>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <AlertList canAcknowledge={user.role === "admin"} canSeeAudit={showAudit} title="Recent alerts" limit={8} testId="dashboard-alerts" id="recent-alerts" />
        <Card title="Agents needing attention" testId="attention">
          <AttentionList agents={overview.attention} />
        </Card>
      </div>

      <div className="mt-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Active users" value={overview.activeUsers} href={canSee(user.role, "users") ? "/users" : undefined} />
        <Stat label="Admin API keys" value={overview.activeApiKeys} href={canSee(user.role, "settings") ? "/settings/api-keys" : undefined} />
        <Stat label="Failed sign-ins (24 h)" value={overview.failedSignIns24h} />
        <Stat label="Audit events (24 h)" value={overview.events24h} href={showAudit ? "/audit" : undefined} />
      </div>
      <section className="mt-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 className="font-semibold">System</h2>
        <p className="mt-2 flex items-center gap-2 text-sm text-slate-600">
          Database ({databaseProvider() === "postgresql" ? "PostgreSQL" : "SQLite"}):{" "}
          <Badge tone={health.ok ? "green" : "red"}>{health.database}</Badge>
          <span className="text-slate-400">{health.latencyMs} ms</span>
        </p>
      </section>
      {recent ? (
        <section className="mt-6 rounded-xl border border-slate-200 bg-white shadow-sm">
          <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
            <h2 className="font-semibold">Recent activity</h2>
            <Link href="/audit" className="text-sm text-brand hover:underline">
              Audit log
            </Link>
          </div>
          {recent.events.length === 0 ? (
            <p className="p-4 text-sm text-slate-500">Nothing has happened yet.</p>
          ) : (
            <ul data-testid="recent-activity" className="divide-y divide-slate-100">
              {recent.events.map((e) => (
                <li key={e.id} className="flex items-center gap-3 px-4 py-2 text-sm">
                  <span className="w-44 shrink-0 text-slate-500">{formatDateTime(e.createdAt)}</span>
                  <code className="text-slate-800">{e.action}</code>
                  <span className="truncate text-slate-500">{e.actor.label}</span>
                  {e.result !== "success" ? <Badge tone={resultTone(e.result)}>{e.result}</Badge> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
