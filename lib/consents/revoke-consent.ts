// Revokes a consent: every token derived from it (its `cid`) stops at once, on every instance within the credential
// cache's check interval, since the change goes through changeCredentials.
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { changeCredentials } from "@/lib/agents/credential-cache";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import type { ConsentView } from "./consent-view";
import { viewsOf } from "./list-consents";

/**
 * `ownerId`: when set, only that person's consent may be revoked; another's answers the same 404 as a missing one.
 * `reason` goes into the audit event (e.g. an authorization code replayed).
 */
export async function revokeConsent(
  db: Db,
  id: string,
  actor: Actor,
  opts: { ownerId?: string; reason?: string } = {},
  now = new Date(),
): Promise<ConsentView> {
  const row = await changeCredentials(db, async (tx) => {
    const consent = await tx.consent.findUnique({ where: { id } });
    if (!consent || (opts.ownerId !== undefined && consent.userId !== opts.ownerId)) throw notFound("Consent");
    // conditional: of two racing revocations exactly one records the event
    const { count } = await tx.consent.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw new AppError("conflict", "This consent is already revoked");
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "consent.revoke",
        target: { type: "consent", id },
        details: { agentId: consent.agentId, userId: consent.userId, scope: consent.scope.split(" "), ...(opts.reason ? { reason: opts.reason } : {}) },
      },
      now,
    );
    return { ...consent, revokedAt: now };
  });
  return (await viewsOf(db, [row], now))[0]!;
}
