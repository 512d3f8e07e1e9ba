// Dynamic client registration (RFC 7591 section 3): a client presents an initial access token an admin issued and
// its metadata; Deputy creates a *pending* agent, owned by the token's owner, with a client secret (shown once) or
// the client's inline public keys. A pending agent gets no token until an admin activates it (activate-agent.ts):
// client authentication and every token check refuse agents that are not active.
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { addPublicKey } from "@/lib/agents/add-public-key";
import { changeCredentials } from "@/lib/agents/credential-cache";
import { issueClientSecret } from "@/lib/agents/issue-client-secret";
import { DEFAULT_SECRET_TTL_DAYS, DEFAULT_TOKEN_TTL_SECONDS } from "@/lib/agents/limits";
import { resolveOwner } from "@/lib/agents/resolve-owner";
import { clientAuthThrottleKeys, recordFailure, retryAfterSeconds } from "@/lib/auth/throttle";
import { digestsEqual, hashSecret } from "@/lib/crypto/secret-hash";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { type ClientMetadata, parseClientMetadata, TOKEN_EXCHANGE_GRANT } from "./client-metadata";
import { INITIAL_ACCESS_TOKEN_PATTERN } from "./limits";
import { RegistrationError } from "./registration-error";

/** RFC 7591 section 3.2.1: the client's credentials and everything registered about it. */
export type RegistrationResponse = {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  /** required with a client_secret; Deputy's secrets always expire */
  client_secret_expires_at?: number;
  client_name: string;
  redirect_uris?: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: string;
  scope?: string;
  jwks?: { keys: Record<string, unknown>[] };
};

const REGISTRAR: Actor = { type: "system", id: "oauth.register", label: "dynamic client registration" };
const INVALID_TOKEN = "The initial access token is missing, invalid, expired, revoked or already used";

async function refuse(db: Db, reason: string, ip: string | null, initialAccessTokenId?: string): Promise<never> {
  // failures are throttled per address like client authentication: a flood of guessed tokens slows down
  await recordFailure(db, clientAuthThrottleKeys(null, ip));
  await recordAuditEvent(db, {
    actor: REGISTRAR,
    action: "client.register",
    result: "failure",
    ...(initialAccessTokenId ? { target: { type: "initial_access_token", id: initialAccessTokenId } } : {}),
    details: { reason },
    ip,
  });
  throw new RegistrationError("invalid_token", INVALID_TOKEN);
}

export async function registerClient(
  db: Db,
  /** `readBody` gives the parsed JSON body, or throws a RegistrationError; it is read only once the token passed */
  request: { initialAccessToken: string | null; readBody: () => Promise<unknown>; ip: string | null },
  now = new Date(),
): Promise<RegistrationResponse> {
  const wait = await retryAfterSeconds(db, clientAuthThrottleKeys(null, request.ip), now);
  if (wait > 0) {
    throw new RegistrationError("temporarily_unavailable", `Too many failed registrations; retry in ${wait} s`, { "Retry-After": String(wait) });
  }
  const presented = request.initialAccessToken;
  if (!presented) {
    throw new RegistrationError("invalid_token", "An initial access token is required: Authorization: Bearer dpi_...", { "WWW-Authenticate": 'Bearer realm="deputy"' });
  }
  if (!INITIAL_ACCESS_TOKEN_PATTERN.test(presented)) return refuse(db, "malformed_token", request.ip);
  const hash = hashSecret(presented);
  const iat = await db.initialAccessToken.findUnique({ where: { hash } });
  if (!iat || !digestsEqual(iat.hash, hash)) return refuse(db, "unknown_token", request.ip);
  if (iat.revokedAt) return refuse(db, "token_revoked", request.ip, iat.id);
  if (iat.usedAt) return refuse(db, "token_used", request.ip, iat.id);
  if (iat.expiresAt.getTime() <= now.getTime()) return refuse(db, "token_expired", request.ip, iat.id);

  let metadata: ClientMetadata;
  try {
    metadata = parseClientMetadata(await request.readBody());
  } catch (e) {
    // a valid token is not used up by bad metadata: the client fixes its request and tries again
    if (e instanceof RegistrationError) {
      await recordAuditEvent(db, {
        actor: REGISTRAR,
        action: "client.register",
        result: "failure",
        target: { type: "initial_access_token", id: iat.id },
        details: { reason: e.code, description: e.description.slice(0, 300) },
        ip: request.ip,
      });
    }
    throw e;
  }

  try {
    return await changeCredentials(db, async (tx) => {
      // the same condition as revocation: of a registration and a revocation (or two registrations) racing, one wins
      const { count } = await tx.initialAccessToken.updateMany({
        where: { id: iat.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (count === 0) throw new RegistrationError("invalid_token", INVALID_TOKEN);
      if (!iat.createdById) throw new RegistrationError("invalid_token", "This initial access token has no owner; ask an admin for a new one");
      let owner: { id: string; email: string };
      try {
        owner = await resolveOwner(tx, iat.createdById);
      } catch {
        throw new RegistrationError("invalid_token", "The owner of this initial access token is no longer an active user; ask an admin for a new one");
      }
      const agentId = newId("agent", now.getTime());
      const actor: Actor = { type: "agent", id: agentId, label: metadata.client_name };
      const actsForPeople = metadata.grant_types.includes("authorization_code") || metadata.grant_types.includes(TOKEN_EXCHANGE_GRANT);
      await tx.agent.create({
        data: {
          id: agentId,
          name: metadata.client_name,
          description: `Registered itself with initial access token ${iat.id} (RFC 7591)`,
          ownerId: owner.id,
          kind: actsForPeople ? "on_behalf_of" : "autonomous",
          status: "pending",
          tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
          allowedScopes: metadata.scope.join(" "),
          redirectUris: metadata.redirect_uris.join(" "),
          createdAt: now,
        },
      });
      await recordAuditEvent(
        tx,
        {
          actor,
          action: "agent.register",
          target: { type: "agent", id: agentId },
          details: {
            name: metadata.client_name,
            status: "pending",
            ownerId: owner.id,
            initialAccessTokenId: iat.id,
            grantTypes: metadata.grant_types,
            authMethod: metadata.token_endpoint_auth_method,
            redirectUris: metadata.redirect_uris,
            allowedScopes: metadata.scope,
          },
          ip: request.ip,
        },
        now,
      );

      let secret: { clientSecret: string; expiresAt: Date } | null = null;
      if (metadata.token_endpoint_auth_method === "private_key_jwt") {
        for (const [i, jwk] of metadata.jwks!.keys.entries()) {
          try {
            await addPublicKey(tx, agentId, { jwk }, actor);
          } catch (e) {
            if (e instanceof AppError) throw new RegistrationError("invalid_client_metadata", `jwks.keys.${i}: ${e.message}`);
            throw e;
          }
        }
      } else {
        const issued = await issueClientSecret(tx, agentId, DEFAULT_SECRET_TTL_DAYS, now);
        secret = { clientSecret: issued.clientSecret, expiresAt: issued.row.expiresAt };
        await recordAuditEvent(
          tx,
          {
            actor,
            action: "client_secret.create",
            target: { type: "agent", id: agentId },
            details: { secretId: issued.row.id, last4: issued.row.last4, expiresAt: issued.row.expiresAt.toISOString() },
          },
          now,
        );
      }

      const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
      return {
        client_id: agentId,
        ...(secret ? { client_secret: secret.clientSecret } : {}),
        client_id_issued_at: seconds(now),
        ...(secret ? { client_secret_expires_at: seconds(secret.expiresAt) } : {}),
        client_name: metadata.client_name,
        ...(metadata.redirect_uris.length > 0 ? { redirect_uris: metadata.redirect_uris } : {}),
        grant_types: metadata.grant_types,
        response_types: metadata.response_types,
        token_endpoint_auth_method: metadata.token_endpoint_auth_method,
        ...(metadata.scope.length > 0 ? { scope: metadata.scope.join(" ") } : {}),
        ...(metadata.jwks ? { jwks: metadata.jwks } : {}),
      };
    });
  } catch (e) {
    // the transaction rolled back, the token is unused: say so in the trail, outside it
    // (or lost a race for the token to another registration or a revocation)
    if (e instanceof RegistrationError && (e.code === "invalid_client_metadata" || e.code === "invalid_token")) {
      await recordAuditEvent(db, {
        actor: REGISTRAR,
        action: "client.register",
        result: "failure",
        target: { type: "initial_access_token", id: iat.id },
        details: { reason: e.code, description: e.description.slice(0, 300) },
        ip: request.ip,
      });
    }
    throw e;
  }
}
