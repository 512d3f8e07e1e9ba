// How a resource server proves who it is when it asks for decisions: `Authorization: Bearer dpr_...`, or
// `Authorization: Basic base64(id:secret)` (each part form-urlencoded, as RFC 6749 section 2.3.1 does for clients).
import { resourceServerSecretByHash } from "@/lib/agents/credential-cache";
import { digestsEqual, hashSecret } from "@/lib/crypto/secret-hash";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { RESOURCE_SERVER_SECRET_PATTERN } from "./format";

const LAST_USED_RESOLUTION_MS = 60_000;

export type AuthenticatedResourceServer = { id: string; name: string; audience: string; secretId: string };

function presented(authorization: string | null): { secret: string; claimedId: string | null } | null {
  if (!authorization) return null;
  const value = authorization.trim();
  const bearer = /^Bearer\s+(\S+)$/i.exec(value);
  if (bearer) return { secret: bearer[1]!, claimedId: null };
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) return null;
  try {
    const form = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { claimedId: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/**
 * The resource server a request's Authorization header authenticates, or a 401. Missing, malformed, unknown,
 * revoked, expired (past a rotation's grace period too), another server's secret, and a disabled server all get the
 * same answer. The lookup is by keyed hash (a unique index), then compared in constant time.
 */
export async function authenticateResourceServer(db: Db, authorization: string | null, now = new Date()): Promise<AuthenticatedResourceServer> {
  // made only when thrown: an error captures a stack trace, and this runs on every decision
  const unauthorized = () =>
    new AppError("unauthorized", "Invalid resource server credentials", undefined, { "WWW-Authenticate": 'Bearer realm="deputy", Basic realm="deputy"' });
  const creds = presented(authorization);
  if (!creds || !RESOURCE_SERVER_SECRET_PATTERN.test(creds.secret)) throw unauthorized();
  const hash = hashSecret(creds.secret);
  // from the credential cache: every change to a server or its secrets goes through changeCredentials
  const row = await resourceServerSecretByHash(db, hash);
  if (!row || !digestsEqual(row.hash, hash)) throw unauthorized();
  if (creds.claimedId !== null && creds.claimedId !== row.resourceServerId) throw unauthorized();
  if (row.revokedAt || row.expiresAt.getTime() <= now.getTime() || row.resourceServer.status !== "active") throw unauthorized();
  // last use is kept to the minute: one write a minute per secret, not one per request
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // the cached row remembers too, so this process writes once a minute even though the cache is not refreshed
    row.lastUsedAt = now;
    await db.resourceServerSecret.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastUsedAt: now } });
  }
  const s = row.resourceServer;
  return { id: s.id, name: s.name, audience: s.audience, secretId: row.id };
}
