// OAuth client authentication of agents (RFC 6749 2.3, RFC 7523): client_secret_basic, client_secret_post and
// private_key_jwt. Exactly one method per request. Every failure is the same invalid_client to the caller (the audit
// trail keeps the reason), and failures are throttled per client_id and per address.
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from "jose";
import type { Agent } from "@/generated/sqlite/client";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { CLIENT_SECRET_PATTERN } from "@/lib/agents/limits";
import { clientAuthThrottleKeys, recordFailure, retryAfterSeconds, type ThrottleKey } from "@/lib/auth/throttle";
import { digestsEqual, hashSecret } from "@/lib/crypto/secret-hash";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { OAuthError } from "@/lib/errors/oauth-error";
import type { HeaderGetter } from "@/lib/http/plain";
import { agentById, secretByHash } from "@/lib/agents/credential-cache";
import { endpoints, issuer } from "./issuer";

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";
export type AuthenticatedClient = { agent: Agent; method: ClientAuthMethod };

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/**
 * Assertion algorithms we accept: asymmetric only. Never none, never HMAC (a public key is no HMAC secret).
 * Ed25519 is the fully-specified name (RFC 9864) of what older clients call EdDSA; both verify with an EdDSA key.
 */
export const ASSERTION_ALGS = ["ES256", "EdDSA", "Ed25519", "RS256"] as const;
const KEY_ALG_OF: Record<(typeof ASSERTION_ALGS)[number], string> = { ES256: "ES256", EdDSA: "EdDSA", Ed25519: "EdDSA", RS256: "RS256" };
const MAX_ASSERTION_LIFETIME_S = 300;
const CLOCK_SKEW_S = 30;
// last use of a secret and last sight of an agent are kept to the minute: one write a minute, not one per token
const LAST_USED_RESOLUTION_MS = 60_000;

class ClientAuthFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

type Presented =
  | { method: "client_secret_basic" | "client_secret_post"; clientId: string; secret: string }
  | { method: "private_key_jwt"; clientId: string; assertion: string };

/** Which credentials the request carries; malformed or multiple methods are refused before any lookup. */
export function presentedCredentials(headers: HeaderGetter, params: Map<string, string>): Presented {
  const authorization = headers.get("authorization");
  const basic = authorization && /^basic /i.test(authorization) ? authorization.slice(6).trim() : null;
  const hasPost = params.has("client_secret");
  const hasJwt = params.has("client_assertion") || params.has("client_assertion_type");
  if ([basic !== null, hasPost, hasJwt].filter(Boolean).length > 1) {
    throw new OAuthError("invalid_request", "Use exactly one client authentication method");
  }
  const paramClientId = params.get("client_id");
  if (basic !== null) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 1) throw new OAuthError("invalid_client", "Malformed Basic credentials");
    let clientId: string;
    let secret: string;
    try {
      // RFC 6749 2.3.1: both parts are form-urlencoded before they are joined
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
    } catch {
      throw new OAuthError("invalid_client", "Malformed Basic credentials");
    }
    if (paramClientId !== undefined && paramClientId !== clientId) {
      throw new OAuthError("invalid_request", "client_id does not match the Basic credentials");
    }
    return { method: "client_secret_basic", clientId, secret };
  }
  if (hasPost) {
    if (!paramClientId) throw new OAuthError("invalid_request", "client_secret_post needs client_id");
    return { method: "client_secret_post", clientId: paramClientId, secret: params.get("client_secret")! };
  }
  if (hasJwt) {
    if (params.get("client_assertion_type") !== JWT_BEARER_ASSERTION) {
      throw new OAuthError("invalid_request", `client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
    }
    const assertion = params.get("client_assertion");
    if (!assertion) throw new OAuthError("invalid_request", "client_assertion is missing");
    let iss: unknown;
    try {
      iss = decodeJwt(assertion).iss;
    } catch {
      throw new OAuthError("invalid_client", "client_assertion is not a JWT");
    }
    const clientId = paramClientId ?? (typeof iss === "string" ? iss : "");
    if (!clientId) throw new OAuthError("invalid_client", "client_assertion has no issuer");
    return { method: "private_key_jwt", clientId, assertion };
  }
  throw new OAuthError("invalid_client", "Client authentication is required");
}

async function verifySecret(db: Db, clientId: string, secret: string, now: Date): Promise<Agent> {
  if (!CLIENT_SECRET_PATTERN.test(secret)) throw new ClientAuthFailure("malformed_secret");
  const hash = hashSecret(secret);
  const row = await secretByHash(db, hash);
  if (!row || !digestsEqual(row.hash, hash)) throw new ClientAuthFailure("unknown_secret");
  // another agent's secret never authenticates this client, even though it is valid
  if (row.agentId !== clientId) throw new ClientAuthFailure("secret_of_another_client");
  if (row.revokedAt) throw new ClientAuthFailure("secret_revoked");
  if (row.expiresAt <= now) throw new ClientAuthFailure(row.rotatedAt ? "secret_past_grace" : "secret_expired");
  const agent = await agentById(db, row.agentId);
  if (!agent) throw new ClientAuthFailure("unknown_client");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.clientSecret.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    row.lastUsedAt = now; // the cached row too: one write a minute, not one per request
  }
  return agent;
}

async function verifyAssertion(db: Db, clientId: string, assertion: string, now: Date): Promise<Agent> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw new ClientAuthFailure("malformed_assertion");
  }
  const alg = header.alg as (typeof ASSERTION_ALGS)[number];
  if (!ASSERTION_ALGS.includes(alg)) throw new ClientAuthFailure(`assertion_alg_refused:${String(header.alg)}`);
  const agent = await db.agent.findUnique({
    where: { id: clientId },
    include: { publicKeys: { where: { revokedAt: null, alg: KEY_ALG_OF[alg], ...(header.kid ? { kid: header.kid } : {}) } } },
  });
  if (!agent) throw new ClientAuthFailure("unknown_client");
  if (agent.publicKeys.length === 0) throw new ClientAuthFailure("no_matching_key");

  let exp: number | undefined;
  let jti: string | undefined;
  for (const key of agent.publicKeys) {
    try {
      const { payload } = await jwtVerify(assertion, await importJWK(JSON.parse(key.jwk) as JWK, alg), {
        algorithms: [alg],
        issuer: clientId,
        subject: clientId,
        audience: [issuer(), endpoints.token()],
        requiredClaims: ["exp", "jti"],
        clockTolerance: CLOCK_SKEW_S,
        currentDate: now,
      });
      exp = payload.exp;
      jti = payload.jti;
      break;
    } catch {
      // try the agent's next key; none verifying is the failure below
    }
  }
  if (exp === undefined || !jti) throw new ClientAuthFailure("assertion_invalid");
  if (exp - now.getTime() / 1000 > MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S) throw new ClientAuthFailure("assertion_lifetime_too_long");
  try {
    await db.usedAssertion.create({ data: { clientId, jti: jti.slice(0, 200), expiresAt: new Date(exp * 1000) } });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ClientAuthFailure("assertion_replayed");
    throw e;
  }
  if (Math.random() < 0.01) await db.usedAssertion.deleteMany({ where: { expiresAt: { lt: now } } });
  const { publicKeys: _keys, ...plain } = agent;
  return plain;
}

/**
 * Authenticates the agent calling an OAuth endpoint. Throws invalid_client (401) on any failure, or 429 for a
 * failure while the client or address must wait. Suspended and killed agents do not authenticate. A success reads
 * only the in-memory credential cache (plus a write a minute for last use).
 */
export async function authenticateClient(
  db: Db,
  request: { headers: HeaderGetter; address: string | null; params: Map<string, string> },
  now = new Date(),
): Promise<AuthenticatedClient> {
  const presented = presentedCredentials(request.headers, request.params);
  const keys: ThrottleKey[] = clientAuthThrottleKeys(presented.clientId, request.address);

  try {
    const agent =
      presented.method === "private_key_jwt"
        ? await verifyAssertion(db, presented.clientId, presented.assertion, now)
        : await verifySecret(db, presented.clientId, presented.secret, now);
    if (agent.status !== "active") throw new ClientAuthFailure(`agent_${agent.status}`);
    if (!agent.lastSeenAt || now.getTime() - agent.lastSeenAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await db.agent.update({ where: { id: agent.id }, data: { lastSeenAt: now } });
      agent.lastSeenAt = now;
    }
    return { agent, method: presented.method };
  } catch (e) {
    if (!(e instanceof ClientAuthFailure)) throw e;
    // Only failures are throttled: secrets and assertions cannot be guessed, so the point is to stop a flood of bad
    // attempts, and a legitimate client keeps working while someone else hammers its client_id.
    const wait = await retryAfterSeconds(db, keys, now);
    if (wait > 0) {
      throw new OAuthError("temporarily_unavailable", `Too many failed client authentications; retry in ${wait} s`, {
        status: 429,
        headers: { "Retry-After": String(wait) },
      });
    }
    await recordFailure(db, keys, now);
    await recordAuditEvent(db, {
      actor: { type: "agent", id: presented.clientId.slice(0, 100), label: presented.clientId.slice(0, 100) },
      action: "client.authenticate",
      result: "failure",
      details: { method: presented.method, reason: e.reason },
      ip: request.address,
    });
    throw new OAuthError("invalid_client", "Client authentication failed");
  }
}
