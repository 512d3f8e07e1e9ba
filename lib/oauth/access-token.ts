// Deputy's access tokens: ES256 JWTs (RFC 9068 profile, typ at+jwt) carrying the agent's token epoch, so that
// suspending or killing an agent invalidates every token it holds without listing them.
import { decodeProtectedHeader, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Db } from "@/lib/db/client";
import { hasPrefix, newId } from "@/lib/ids";
import { activeSigningKey, SIGNING_ALG, verificationKey } from "@/lib/keys/signing-keys";
import { agentById, consentById, isTokenRevoked } from "@/lib/agents/credential-cache";
import { issuer } from "./issuer";
import { rememberVerified, verifiedClaims } from "./verified-tokens";

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
  /** the token epoch of the agent it was issued to (client_id) at issuance */
  epoch: number;
  /** when the subject is another agent (its own token was exchanged): that agent's token epoch, checked like `epoch` */
  sub_epoch?: number;
  /** RFC 8693 delegation chain, newest actor outermost; each `sub` is an agent (an `epoch` there, if any, is checked) */
  act?: ActorClaim;
  /** RFC 9396: where a delegated token may be used (type deputy_resource: a subtree, its tools, an expiry) */
  authorization_details?: ResourceDetail[];
  /** the consent a delegated token derives from: revoking the consent stops the token */
  cid?: string;
  /** RFC 8693 4.4: the agent allowed to exchange this token and act for its subject (token exchange honours it) */
  may_act?: { sub: string };
};

/** An RFC 9396 authorization detail of Deputy's own type: the token may act only on `node` and below. */
export type ResourceDetail = { type: "deputy_resource"; node: string; tools: string[]; expiry?: number };

export type ActorClaim = { sub: string; epoch?: number; act?: ActorClaim };

/** Deepest delegation chain walked; a longer one is refused rather than partly checked. */
export const MAX_ACT_DEPTH = 10;

export async function signAccessToken(
  db: Db,
  input: {
    /** the agent the token is issued to (client_id), and its current token epoch */
    agentId: string;
    tokenEpoch: number;
    scope: string[];
    audience: string;
    ttlSeconds: number;
    /** whom the token acts for: a person (usr_) or an upstream agent; the agent itself when absent */
    subject?: string;
    /** the subject agent's token epoch, when the subject is another agent */
    subjectEpoch?: number;
    act?: ActorClaim;
    authorizationDetails?: ResourceDetail[];
    consentId?: string;
    /** RFC 8693 may_act: the agent that may exchange this token (lib/oauth/grants/token-exchange.ts) */
    mayAct?: { sub: string };
  },
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
    ...(input.subject ? { sub: input.subject } : {}),
    ...(input.subjectEpoch !== undefined ? { sub_epoch: input.subjectEpoch } : {}),
    ...(input.act ? { act: input.act } : {}),
    ...(input.authorizationDetails ? { authorization_details: input.authorizationDetails } : {}),
    ...(input.consentId ? { cid: input.consentId } : {}),
    ...(input.mayAct ? { may_act: { sub: input.mayAct.sub } } : {}),
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP }).sign(key.signingKey);
  return { token, claims };
}

export type TokenCheck = { active: true; claims: AccessTokenClaims } | { active: false; reason: string; agentId?: string };

/** How a token names an agent: the client it was issued to, the subject it acts for, or an actor of its chain. */
type ChainRole = "agent" | "subject" | "actor";
type ChainLink = { id: string; epoch?: number; role: ChainRole };

/**
 * Every agent a token names: the client it was issued to (whose epoch is the token's `epoch`), its subject when that
 * is an agent, and every actor of its `act` chain. Null when the chain is malformed or deeper than MAX_ACT_DEPTH.
 */
function agentsNamedBy(claims: AccessTokenClaims): ChainLink[] | null {
  const links: ChainLink[] = [{ id: claims.client_id, epoch: claims.epoch, role: "agent" }];
  if (claims.sub !== claims.client_id && hasPrefix(claims.sub, "agent")) {
    links.push({ id: claims.sub, role: "subject", ...(typeof claims.sub_epoch === "number" ? { epoch: claims.sub_epoch } : {}) });
  }
  let act: unknown = claims.act;
  for (let depth = 0; act !== undefined; depth++) {
    if (depth >= MAX_ACT_DEPTH || typeof act !== "object" || act === null) return null;
    const { sub, epoch, act: next } = act as { sub?: unknown; epoch?: unknown; act?: unknown };
    if (typeof sub !== "string") return null;
    links.push({ id: sub, role: "actor", ...(typeof epoch === "number" ? { epoch } : {}) });
    act = next;
  }
  return links;
}

/**
 * Is this one of our tokens, and does it still stand? Signature by a published key, issuer, type, expiry, not
 * revoked, and every agent it names active. Audience is the caller's to check (introspection reports it).
 *
 * Invariant (kill switch): a token that names a killed agent anywhere (client, subject or any actor of its
 * delegation chain) is refused, and so is one issued before that agent's last kill, even after a restore. Each
 * agent comes from the in-memory credential cache, so a longer chain costs map lookups, not queries.
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
  let claims = verifiedClaims(token, kid!, now);
  if (!claims) {
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
    rememberVerified(token, kid!, claims);
  }
  const links = agentsNamedBy(claims);
  if (!links) return { active: false, reason: "malformed_act" };
  const [revoked, consent, ...agents] = await Promise.all([
    isTokenRevoked(db, claims.jti),
    claims.cid === undefined ? null : consentById(db, String(claims.cid)),
    ...links.map((l) => agentById(db, l.id)),
  ]);
  if (revoked) return { active: false, reason: "revoked" };
  // a delegated token lives no longer than the person's consent: revoked or lapsed, it stops
  if (claims.cid !== undefined && (!consent || consent.revokedAt || consent.expiresAt.getTime() <= now.getTime())) {
    return { active: false, reason: "consent_revoked" };
  }
  // killed first: that reason wins wherever in the chain the killed agent is, so a decision can say so
  for (const [i, agent] of agents.entries()) {
    // an agent named without an epoch (an actor, or a subject in a token from before sub_epoch): a token from before
    // its last kill (to the second) stays dead
    const killedAt = links[i]!.epoch === undefined ? agent?.killedAt?.getTime() : undefined;
    if (agent?.status === "killed" || (killedAt !== undefined && claims.iat * 1000 <= killedAt)) {
      return { active: false, reason: `${links[i]!.role}_killed`, agentId: links[i]!.id };
    }
  }
  for (const [i, agent] of agents.entries()) {
    const link = links[i]!;
    if (!agent || agent.status !== "active") return { active: false, reason: `${link.role}_not_active`, agentId: link.id };
    if (link.epoch !== undefined && agent.tokenEpoch !== link.epoch) {
      return { active: false, reason: `${link.role}_epoch_changed`, agentId: link.id };
    }
  }
  return { active: true, claims };
}
