import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { changeCredentials } from "@/lib/agents/credential-cache";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type ResourceServerSecretView, toRsSecretView } from "./resource-server-view";

/**
 * Revokes one secret at once, with no grace period. The conditional update makes two racing revocations record one
 * event. A secret of another resource server answers 404, like a missing one.
 */
export async function revokeResourceServerSecret(db: Db, id: string, secretId: string, actor: Actor, now = new Date()): Promise<ResourceServerSecretView> {
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.resourceServerSecret.updateMany({ where: { id: secretId, resourceServerId: id, revokedAt: null }, data: { revokedAt: now } });
    const secret = await tx.resourceServerSecret.findFirst({ where: { id: secretId, resourceServerId: id } });
    if (!secret) throw notFound("Resource server secret");
    if (count === 0) throw new AppError("conflict", "This secret is already revoked");
    await recordAuditEvent(
      tx,
      { actor, action: "resource_server.revoke_secret", target: { type: "resource_server", id }, details: { secretId, last4: secret.last4 } },
      now,
    );
    return toRsSecretView(secret, now);
  });
}
