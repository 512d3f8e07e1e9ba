import type { Db } from "@/lib/db/client";

/** The users who own at least one agent: the choices of the agent list's owner filter. */
export async function listAgentOwners(db: Db): Promise<{ id: string; email: string }[]> {
  return db.user.findMany({
    where: { agentsOwned: { some: {} } },
    select: { id: true, email: true },
    orderBy: { email: "asc" },
    take: 500,
  });
}
