// grant_type=authorization_code (RFC 6749 4.1.3, PKCE RFC 7636 4.5): an on-behalf-of agent redeems the code a person's
// consent produced, for a token whose subject is the person and whose actor is the agent (RFC 8693 `act`).
//
// Invariants:
// - A code is redeemed once, by the agent it was issued to, with the same redirect URI and the PKCE verifier of its
//   challenge, within CODE_TTL_SECONDS. A second redemption fails and revokes the consent, which stops every token
//   issued from the code (RFC 6749 4.1.2: the code may have leaked).
// - The token's scope is the consent's scope intersected with what the agent may ask for now; its subtree is the
//   consent's; it expires no later than the consent. Decisions intersect the person's and the agent's grants anyway.
import { z } from "zod";
import { changeCredentials } from "@/lib/agents/credential-cache";
import { MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS } from "@/lib/agents/limits";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { isAuthorizationCodeShaped, pkceMatches, resourceOfCode } from "@/lib/consents/authorization-code";
import { CODE_VERIFIER_PATTERN } from "@/lib/consents/limits";
import { hashSecret } from "@/lib/crypto/secret-hash";
import type { Db } from "@/lib/db/client";
import { OAuthError } from "@/lib/errors/oauth-error";
import { signAccessToken } from "../access-token";
import type { AuthenticatedClient } from "../client-auth";
import { issuer } from "../issuer";
import { parseResource } from "./client-credentials";
import type { TokenResponse } from "./types";

const params = z.object({
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  code_verifier: z.string().optional(),
  resource: z.string().optional(),
});

/** The consent a replayed code came from is revoked: whoever holds tokens from it loses them. */
async function revokeForReplay(db: Db, consentId: string, client: AuthenticatedClient, now: Date): Promise<void> {
  await changeCredentials(db, async (tx) => {
    const { count } = await tx.consent.updateMany({ where: { id: consentId, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) return;
    await recordAuditEvent(
      tx,
      {
        actor: { type: "agent", id: client.agent.id, label: client.agent.name },
        action: "consent.revoke",
        target: { type: "consent", id: consentId },
        result: "success",
        details: { reason: "authorization code redeemed twice" },
      },
      now,
    );
  });
}

export async function authorizationCodeGrant(db: Db, client: AuthenticatedClient, form: Map<string, string>, now: Date): Promise<TokenResponse> {
  const p = params.parse(Object.fromEntries(form));
  if (!p.code) throw new OAuthError("invalid_request", "code is required");
  if (!p.redirect_uri) throw new OAuthError("invalid_request", "redirect_uri is required");
  if (!p.code_verifier) throw new OAuthError("invalid_request", "code_verifier is required (PKCE)");
  if (!CODE_VERIFIER_PATTERN.test(p.code_verifier)) throw new OAuthError("invalid_request", "code_verifier must be 43 to 128 unreserved characters");
  const { agent } = client;

  const row = isAuthorizationCodeShaped(p.code) ? await db.authorizationCode.findUnique({ where: { hash: hashSecret(p.code) } }) : null;
  if (!row) throw new OAuthError("invalid_grant", "The authorization code is unknown");
  if (row.usedAt) {
    await revokeForReplay(db, row.consentId, client, now);
    throw new OAuthError("invalid_grant", "The authorization code was already used; the consent it came from is revoked");
  }
  if (row.expiresAt.getTime() <= now.getTime()) throw new OAuthError("invalid_grant", "The authorization code has expired");
  if (row.agentId !== agent.id) throw new OAuthError("invalid_grant", "The authorization code was issued to another client");
  if (row.redirectUri !== p.redirect_uri) throw new OAuthError("invalid_grant", "redirect_uri does not match the authorization request");
  if (!pkceMatches(p.code_verifier, row.codeChallenge)) throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge");
  const resource = resourceOfCode(p.code);
  if (p.resource !== undefined && p.resource !== (resource ?? issuer())) {
    throw new OAuthError("invalid_target", "resource differs from the one the person consented for");
  }
  if (agent.kind !== "on_behalf_of") throw new OAuthError("unauthorized_client", "The agent is no longer registered to act on behalf of people");

  // consume: of two racing redemptions exactly one wins, and the loser is a replay like any other
  const { count } = await db.authorizationCode.updateMany({ where: { hash: row.hash, usedAt: null }, data: { usedAt: now } });
  if (count === 0) {
    await revokeForReplay(db, row.consentId, client, now);
    throw new OAuthError("invalid_grant", "The authorization code was already used; the consent it came from is revoked");
  }

  const [consent, user] = await Promise.all([
    db.consent.findUnique({ where: { id: row.consentId } }),
    db.user.findUnique({ where: { id: row.userId }, select: { id: true, disabledAt: true } }),
  ]);
  if (!consent || consent.revokedAt || consent.expiresAt.getTime() <= now.getTime()) throw new OAuthError("invalid_grant", "The consent was revoked or has expired");
  if (!user || user.disabledAt) throw new OAuthError("invalid_grant", "The person who consented can no longer delegate");

  const allowed = agent.allowedScopes.split(" ");
  const scope = consent.scope.split(" ").filter((t) => t && allowed.includes(t));
  if (scope.length === 0) throw new OAuthError("invalid_scope", "The agent may no longer use any of the consented tools");
  const audience = parseResource(resource ?? undefined);
  const untilConsentEnds = Math.floor((consent.expiresAt.getTime() - now.getTime()) / 1000);
  const ttlSeconds = Math.min(MAX_TOKEN_TTL_SECONDS, Math.max(MIN_TOKEN_TTL_SECONDS, agent.tokenTtlSeconds), untilConsentEnds);
  if (ttlSeconds < 1) throw new OAuthError("invalid_grant", "The consent has expired");
  const expiry = Math.floor(consent.expiresAt.getTime() / 1000);

  const { token, claims } = await signAccessToken(
    db,
    {
      agentId: agent.id,
      tokenEpoch: agent.tokenEpoch,
      scope,
      audience,
      ttlSeconds,
      subject: user.id,
      act: { sub: agent.id, epoch: agent.tokenEpoch },
      ...(consent.nodeId ? { authorizationDetails: [{ type: "deputy_resource" as const, node: consent.nodeId, tools: scope, expiry }] } : {}),
      consentId: consent.id,
    },
    now,
  );
  await auditBatcher().record(
    {
      actor: { type: "agent", id: agent.id, label: agent.name },
      action: "token.issue",
      target: { type: "agent", id: agent.id },
      details: {
        jti: claims.jti,
        scope: claims.scope,
        aud: audience,
        exp: claims.exp,
        grant: "authorization_code",
        auth: client.method,
        sub: user.id,
        consent: consent.id,
        ...(consent.nodeId ? { node: consent.nodeId } : {}),
      },
    },
    now,
  );
  return { access_token: token, token_type: "Bearer", expires_in: ttlSeconds, scope: claims.scope };
}
