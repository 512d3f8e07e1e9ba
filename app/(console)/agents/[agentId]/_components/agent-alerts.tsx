"use client";
// This agent's anomaly alerts (open first), with Acknowledge for admins.
import { AlertList } from "@/components/alert-list";

export function AgentAlerts({ agentId, canWrite, canSeeAudit }: { agentId: string; canWrite: boolean; canSeeAudit: boolean }) {
  return (
    <section className="mt-6">
      <AlertList agentId={agentId} canAcknowledge={canWrite} canSeeAudit={canSeeAudit} title="Anomaly alerts" limit={10} testId="agent-alerts" />
    </section>
  );
}
