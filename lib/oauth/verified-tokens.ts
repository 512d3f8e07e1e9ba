// Tokens whose signature this process has already verified, by their exact text, until they expire. Agents call
// tools many times with one token: verifying an ES256 signature each time was the largest cost of a decision.
// Only the signature and the fixed claims (issuer, type, required claims) are remembered; expiry, the signing key
// still being published, revocation and the agents' state are checked on every use, as before.
import type { AccessTokenClaims } from "./access-token";

const MAX_ENTRIES = 50_000;

type Entry = { claims: AccessTokenClaims; kid: string };

const g = globalThis as unknown as { __deputyVerifiedTokens?: Map<string, Entry> };
const verified: Map<string, Entry> = (g.__deputyVerifiedTokens ??= new Map());

/** The claims of a token verified before under this key, if it has not expired at `now`. */
export function verifiedClaims(token: string, kid: string, now: Date): AccessTokenClaims | null {
  const hit = verified.get(token);
  if (!hit || hit.kid !== kid) return null;
  // as jose checks it: expired once exp <= now, in whole seconds
  if (hit.claims.exp <= Math.floor(now.getTime() / 1000)) {
    verified.delete(token);
    return null;
  }
  return hit.claims;
}

export function rememberVerified(token: string, kid: string, claims: AccessTokenClaims): void {
  // insertion order is age order: past the cap, the oldest goes
  if (verified.size >= MAX_ENTRIES) verified.delete(verified.keys().next().value!);
  verified.set(token, { claims: Object.freeze({ ...claims }) as AccessTokenClaims, kid });
}
