"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { AgentStatusBadge } from "@/components/agent-badges";
import { PageHeader } from "@/components/page-header";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { ErrorState } from "@/components/ui/states";
import type { AgentDetailView } from "@/lib/agents/agent-view";
import { AgentAlerts } from "./agent-alerts";
import { AgentSettings } from "./agent-settings";
import { AgentStatusCard } from "./agent-status-card";
import { ClientSecrets } from "./client-secrets";
import { DelegationCard } from "./delegation-card";
import { KillSwitchCard } from "./kill-switch-card";
import { PublicKeys } from "./public-keys";
import { RecentTokens } from "./recent-tokens";

export function AgentDetail({ initialAgent, canWrite, canSeeAudit = false }: { initialAgent: AgentDetailView; canWrite: boolean; canSeeAudit?: boolean }) {
  const query = useQuery({ ...queries.agent(initialAgent.id), initialData: initialAgent });
  const agent = query.data;
  return (
    <>
      <div className="mb-2 text-sm">
        <Link href="/agents" className="text-brand hover:underline">
          ← Agents
        </Link>
      </div>
      <PageHeader
        title={agent.name}
        description={agent.description ?? undefined}
        actions={
          <span className="flex gap-1" data-testid="agent-status">
            <AgentStatusBadge status={agent.status} />
            {agent.rotationDue ? <Badge tone="amber">rotation due</Badge> : null}
          </span>
        }
      />
      {query.isError ? (
        <div className="mb-4">
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <AgentSettings agent={agent} canWrite={canWrite} />
        <AgentStatusCard agent={agent} canWrite={canWrite} />
        <KillSwitchCard agent={agent} canWrite={canWrite} />
        <DelegationCard agent={agent} canWrite={canWrite} />
      </div>
      <section className="mt-6 space-y-6" aria-labelledby="credentials-heading">
        <h2 id="credentials-heading" className="text-lg font-semibold">
          Credentials
        </h2>
        <ClientSecrets agent={agent} canWrite={canWrite} />
        <PublicKeys agent={agent} canWrite={canWrite} />
      </section>
      <AgentAlerts agentId={agent.id} canWrite={canWrite} canSeeAudit={canSeeAudit} />
      <RecentTokens tokens={agent.recentTokens} />
    </>
  );
}
