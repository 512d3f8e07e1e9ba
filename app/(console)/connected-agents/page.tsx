import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { listConsents } from "@/lib/consents/list-consents";
import { getDb } from "@/lib/db/client";
import { ConnectedAgentsTable } from "./_components/connected-agents-table";

export const metadata: Metadata = { title: "Connected agents" };

export default async function ConnectedAgentsPage() {
  const user = await requireConsoleUser("connectedAgents");
  return (
    <>
      <PageHeader
        title="Connected agents"
        description="Agents you allowed to act on your behalf. Each gets at most the tools you chose, where you chose, until the consent ends; revoking stops its tokens at once."
      />
      <ConnectedAgentsTable initialConsents={await listConsents(getDb(), { userId: user.id })} />
    </>
  );
}
