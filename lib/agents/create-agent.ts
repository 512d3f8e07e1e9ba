import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { AgentView } from "./agent-view";
import { issueClientSecret } from "./issue-client-secret";
import { loadAgentView } from "./load-agent";
import { resolveOwner } from "./resolve-owner";
import { type CreateAgentInput, createAgentInput } from "./schemas";

/**
 * Registers an agent and, unless `withSecret: false`, its first client secret. The secret is returned here and never
 * again: only its keyed hash is stored. The agent's id is its OAuth client_id.
 */
export async function createAgent(
  db: Db,
  input: CreateAgentInput,
  actor: Actor,
  now = new Date(),
): Promise<{ agent: AgentView; clientSecret: string | null }> {
  const data = createAgentInput.parse(input);
  return inTransaction(db, async (tx) => {
    const owner = await resolveOwner(tx, data.owner);
    const agent = await tx.agent.create({
      data: {
        id: newId("agent", now.getTime()),
        name: data.name,
        description: data.description || null,
        ownerId: owner.id,
        kind: data.kind,
        tokenTtlSeconds: data.tokenTtlSeconds,
        allowedScopes: data.allowedScopes.join(" "),
        canIntrospect: data.canIntrospect,
        redirectUris: data.redirectUris.join(" "),
        createdAt: now,
      },
    });
    const target = { type: "agent", id: agent.id };
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "agent.create",
        target,
        details: {
          name: agent.name,
          ownerId: owner.id,
          kind: agent.kind,
          tokenTtlSeconds: agent.tokenTtlSeconds,
          allowedScopes: data.allowedScopes,
          canIntrospect: agent.canIntrospect,
          ...(data.redirectUris.length ? { redirectUris: data.redirectUris } : {}),
        },
      },
      now,
    );

    let clientSecret: string | null = null;
    if (data.withSecret) {
      const issued = await issueClientSecret(tx, agent.id, data.secretExpiresInDays, now);
      clientSecret = issued.clientSecret;
      await recordAuditEvent(
        tx,
        {
          actor,
          action: "client_secret.create",
          target,
          details: { secretId: issued.row.id, last4: issued.row.last4, expiresAt: issued.row.expiresAt.toISOString() },
        },
        now,
      );
    }
    return { agent: await loadAgentView(tx, agent.id, now), clientSecret };
  });
}
