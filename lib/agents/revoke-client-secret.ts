import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { changeCredentials } from "./credential-cache";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type SecretView, toSecretView } from "./agent-view";

/**
 * Revokes a client secret at once, with no grace period (use rotation for a planned change). The conditional update
 * makes two racing revocations record one event. A secret of another agent answers 404, like a missing one.
 */
export async function revokeClientSecret(db: Db, agentId: string, secretId: string, actor: Actor, now = new Date()): Promise<SecretView> {
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.clientSecret.updateMany({ where: { id: secretId, agentId, revokedAt: null }, data: { revokedAt: now } });
    const secret = await tx.clientSecret.findFirst({ where: { id: secretId, agentId } });
    if (!secret) throw notFound("Client secret");
    if (count === 0) throw new AppError("conflict", "This client secret is already revoked");
    await recordAuditEvent(
      tx,
      { actor, action: "client_secret.revoke", target: { type: "agent", id: agentId }, details: { secretId, last4: secret.last4 } },
      now,
    );
    return toSecretView(secret, now);
  });
}
