// Deputy's access tokens: ES256 JWTs (RFC 9068 profile, typ at+jwt) carrying the agent's token epoch, so that
// suspending or killing an agent invalidates every token it holds without listing them.
import { decodeProtectedHeader, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { activeSigningKey, SIGNING_ALG, verificationKey } from "@/lib/keys/signing-keys";
import { agentById, isTokenRevoked } from "@/lib/agents/credential-cache";
import { issuer } from "./issuer";

export const ACCESS_TOKEN_TYP = "at+jwt";

export type AccessTokenClaims = JWTPayload & {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  /** the agent's token epoch at issuance */
  epoch: number;
};

export async function signAccessToken(
  db: Db,
  input: { agentId: string; tokenEpoch: number; scope: string[]; audience: string; ttlSeconds: number },
  now = new Date(),
): Promise<{ token: string; claims: AccessTokenClaims }> {
  const key = await activeSigningKey(db, now.getTime());
  const iat = Math.floor(now.getTime() / 1000);
  const claims: AccessTokenClaims = {
    iss: issuer(),
    sub: input.agentId,
    aud: input.audience,
    client_id: input.agentId,
    scope: input.scope.join(" "),
    jti: newId("token", now.getTime()),
    iat,
    exp: iat + input.ttlSeconds,
    epoch: input.tokenEpoch,
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP }).sign(key.signingKey);
  return { token, claims };
}

export type TokenCheck = { active: true; claims: AccessTokenClaims } | { active: false; reason: string };

/**
 * Is this one of our tokens, and does it still stand? Signature by a published key, issuer, type, expiry, not
 * revoked, and its agent active at the same epoch. Audience is the caller's to check (introspection reports it).
 */
export async function checkAccessToken(db: Db, token: string, now = new Date()): Promise<TokenCheck> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { active: false, reason: "malformed" };
  }
  const key = kid ? await verificationKey(db, kid, now) : null;
  if (!key) return { active: false, reason: "unknown_key" };
  let claims: AccessTokenClaims;
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALG],
      issuer: issuer(),
      typ: ACCESS_TOKEN_TYP,
      requiredClaims: ["sub", "aud", "exp", "jti", "client_id"],
      currentDate: now,
    });
    claims = payload as AccessTokenClaims;
  } catch {
    return { active: false, reason: "invalid_or_expired" };
  }
  const [revoked, agent] = await Promise.all([isTokenRevoked(db, claims.jti), agentById(db, claims.sub)]);
  if (revoked) return { active: false, reason: "revoked" };
  if (!agent || agent.status !== "active") return { active: false, reason: "agent_not_active" };
  if (agent.tokenEpoch !== claims.epoch) return { active: false, reason: "agent_epoch_changed" };
  return { active: true, claims };
}
