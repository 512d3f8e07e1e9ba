import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { MAX_TOKEN_TTL_SECONDS } from "@/lib/agents/limits";
import { type Db, inTransaction } from "@/lib/db/client";
import { clearSigningKeyCache, generateSigningKey } from "./signing-keys";

/**
 * Makes a new active signing key and retires the others. Invariant: a retired key stays in the JWKS for the longest
 * token lifetime after its retirement, so every token it signed can still be verified until it expires.
 */
export async function rotateSigningKey(db: Db, actor: Actor, now = new Date()) {
  const { record } = await generateSigningKey();
  const publishUntil = new Date(now.getTime() + MAX_TOKEN_TTL_SECONDS * 1000);
  const retired = await inTransaction(db, async (tx) => {
    const previous = await tx.signingKey.findMany({ where: { status: "active" }, select: { kid: true } });
    await tx.signingKey.updateMany({ where: { status: "active" }, data: { status: "retired", retiredAt: now, publishUntil } });
    await tx.signingKey.create({ data: { ...record, status: "active", createdAt: now } });
    await recordAuditEvent(tx, {
      actor,
      action: "signing_key.rotate",
      target: { type: "signing_key", id: record.kid },
      details: { retired: previous.map((p) => p.kid), publishUntil: publishUntil.toISOString() },
    });
    return previous.map((p) => p.kid);
  });
  clearSigningKeyCache();
  return { kid: record.kid, retired, publishUntil: publishUntil.toISOString() };
}
