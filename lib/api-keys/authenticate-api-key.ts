import type { Actor } from "@/lib/audit/actor";
import { digestsEqual, hashSecret } from "@/lib/crypto/secret-hash";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { API_KEY_PATTERN } from "./format";

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a presented admin API key to its actor, or throws 401. Unknown, revoked and malformed keys get the same
 * answer. The lookup is by keyed hash (a unique index), then compared in constant time.
 */
export async function authenticateApiKey(db: Db, presented: string, now = new Date()): Promise<Actor> {
  const unauthorized = new AppError("unauthorized", "Invalid or revoked API key", undefined, { "WWW-Authenticate": 'Bearer realm="deputy"' });
  if (!API_KEY_PATTERN.test(presented)) throw unauthorized;
  const hash = hashSecret(presented);
  const key = await db.apiKey.findUnique({ where: { hash } });
  if (!key || key.revokedAt || !digestsEqual(key.hash, hash)) throw unauthorized;
  // last use is kept to the minute: one write a minute per key, not one per request
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { lastUsedAt: now } });
  }
  return { type: "api_key", id: key.id, label: key.name };
}
