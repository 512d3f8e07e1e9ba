import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type SecretView, toSecretView } from "./agent-view";

/** An agent's client secrets, newest first: last four characters and dates, never the secret or its hash. */
export async function listClientSecrets(db: Db, agentId: string, now = new Date()): Promise<SecretView[]> {
  const agent = await db.agent.findUnique({
    where: { id: agentId },
    select: { secrets: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] } },
  });
  if (!agent) throw notFound("Agent");
  return agent.secrets.map((s) => toSecretView(s, now));
}
