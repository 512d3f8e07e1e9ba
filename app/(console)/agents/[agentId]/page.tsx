import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getAgent } from "@/lib/agents/get-agent";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { canSee } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { AgentDetail } from "./_components/agent-detail";

export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({ params }: { params: Promise<{ agentId: string }> }) {
  const me = await requireConsoleUser("agents");
  const { agentId } = await params;
  const agent = await getAgent(getDb(), agentId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  return <AgentDetail initialAgent={agent} canWrite={me.role === "admin"} canSeeAudit={canSee(me.role, "audit")} />;
}
