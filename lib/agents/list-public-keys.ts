import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type PublicKeyView, toPublicKeyView } from "./agent-view";

/** The public keys an agent may sign private_key_jwt assertions with, newest first (revoked ones included). */
export async function listPublicKeys(db: Db, agentId: string): Promise<PublicKeyView[]> {
  const agent = await db.agent.findUnique({
    where: { id: agentId },
    select: { publicKeys: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] } },
  });
  if (!agent) throw notFound("Agent");
  return agent.publicKeys.map(toPublicKeyView);
}
