import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type InitialAccessTokenView, toInitialAccessTokenViews } from "./initial-access-token-view";

/**
 * Revokes an unused initial access token at once. The conditional update races a registration that uses it:
 * exactly one of the two wins (registration consumes with the same `usedAt: null, revokedAt: null` condition).
 */
export async function revokeInitialAccessToken(db: Db, id: string, actor: Actor, now = new Date()): Promise<InitialAccessTokenView> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.initialAccessToken.updateMany({ where: { id, revokedAt: null, usedAt: null }, data: { revokedAt: now } });
    const row = await tx.initialAccessToken.findUnique({ where: { id } });
    if (!row) throw notFound("Initial access token");
    if (count === 0) throw new AppError("conflict", row.revokedAt ? "This initial access token is already revoked" : "This initial access token was already used");
    await recordAuditEvent(tx, { actor, action: "initial_access_token.revoke", target: { type: "initial_access_token", id }, details: { last4: row.last4 } }, now);
    const [view] = await toInitialAccessTokenViews(tx, [row], now);
    return view!;
  });
}
