import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { listAgentOwners } from "@/lib/agents/list-agent-owners";
import { listAgents } from "@/lib/agents/list-agents";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listUsers } from "@/lib/users/list-users";
import { listFreezes } from "@/lib/freezes/list-freezes";
import { AgentsTable } from "./_components/agents-table";
import { FreezePanel } from "./_components/freeze-panel";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const me = await requireConsoleUser("agents");
  const db = getDb();
  const canWrite = me.role === "admin";
  const [firstPage, owners, activeUsers, freezes] = await Promise.all([
    listAgents(db),
    listAgentOwners(db),
    canWrite ? listUsers(db, { status: "active" }) : Promise.resolve([]),
    listFreezes(db),
  ]);
  return (
    <>
      <PageHeader
        title="Agents"
        description="Each agent is its own principal, with its own credentials and an owner who answers for it. Its id is its OAuth client_id."
      />
      <FreezePanel initialFreezes={freezes} canWrite={canWrite} />
      <AgentsTable
        initialPage={firstPage}
        owners={owners}
        users={activeUsers.map((u) => ({ id: u.id, email: u.email }))}
        currentUserId={me.id}
        canWrite={canWrite}
      />
    </>
  );
}
