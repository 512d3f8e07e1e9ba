import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type PublicKeyView, toPublicKeyView } from "./agent-view";

/**
 * Revokes a public key at once: assertions signed with it are refused from now on. Its record stays (and its
 * thumbprint stays taken for this agent). A key of another agent answers 404, like a missing one.
 */
export async function revokePublicKey(db: Db, agentId: string, keyId: string, actor: Actor): Promise<PublicKeyView> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.agentPublicKey.updateMany({ where: { id: keyId, agentId, revokedAt: null }, data: { revokedAt: new Date() } });
    const key = await tx.agentPublicKey.findFirst({ where: { id: keyId, agentId } });
    if (!key) throw notFound("Public key");
    if (count === 0) throw new AppError("conflict", "This public key is already revoked");
    await recordAuditEvent(tx, {
      actor,
      action: "agent_key.revoke",
      target: { type: "agent", id: agentId },
      details: { keyId, kid: key.kid, thumbprint: key.thumbprint },
    });
    return toPublicKeyView(key);
  });
}
