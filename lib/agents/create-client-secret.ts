import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { type SecretView, toSecretView } from "./agent-view";
import { issueClientSecret } from "./issue-client-secret";
import { agentForNewCredential } from "./load-agent";
import { type CreateClientSecretInput, createClientSecretInput } from "./schemas";

/**
 * Adds a client secret to an agent (its others keep working: several may be active at once). The secret is
 * returned here and never again.
 */
export async function createClientSecret(
  db: Db,
  agentId: string,
  input: CreateClientSecretInput,
  actor: Actor,
  now = new Date(),
): Promise<{ secret: SecretView; clientSecret: string }> {
  const { expiresInDays } = createClientSecretInput.parse(input);
  return inTransaction(db, async (tx) => {
    await agentForNewCredential(tx, agentId);
    const { row, clientSecret } = await issueClientSecret(tx, agentId, expiresInDays, now);
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "client_secret.create",
        target: { type: "agent", id: agentId },
        details: { secretId: row.id, last4: row.last4, expiresAt: row.expiresAt.toISOString() },
      },
      now,
    );
    return { secret: toSecretView(row, now), clientSecret };
  });
}
