// How an agent's status, kind and credential states look, on the agents list and on an agent's page.
import type { SecretStatus } from "@/lib/agents/agent-view";
import { Badge } from "./ui/badge";

export function AgentStatusBadge({ status }: { status: string }) {
  const tone = status === "active" ? "green" : status === "suspended" ? "amber" : status === "pending" ? "blue" : "red";
  return <Badge tone={tone}>{status === "pending" ? "pending activation" : status}</Badge>;
}

export function KindLabel({ kind }: { kind: string }) {
  return <span className="text-slate-600">{kind === "on_behalf_of" ? "on behalf of a user" : kind}</span>;
}

export function SecretStatusBadge({ status }: { status: SecretStatus }) {
  const tone = status === "active" ? "green" : status === "grace" ? "amber" : status === "revoked" ? "red" : "gray";
  return <Badge tone={tone}>{status === "grace" ? "grace period" : status}</Badge>;
}
