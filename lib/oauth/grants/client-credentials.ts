// grant_type=client_credentials (RFC 6749 4.4): an agent gets a token for itself. The scope is a subset of the
// agent's allowed tools; `resource` (RFC 8707) becomes the audience. Parameters this grant does not declare are ignored.
import { z } from "zod";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import { looksLikeSecret } from "@/lib/audit/record-event";
import { MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS, SCOPE_PATTERN } from "@/lib/agents/limits";
import type { Db } from "@/lib/db/client";
import { OAuthError } from "@/lib/errors/oauth-error";
import { signAccessToken } from "../access-token";
import type { AuthenticatedClient } from "../client-auth";
import { issuer } from "../issuer";
import type { TokenResponse } from "./types";

const params = z.object({
  scope: z.string().optional(),
  resource: z.string().optional(),
});

export function parseScope(requested: string | undefined, allowed: string[]): string[] {
  if (requested === undefined) {
    if (allowed.length === 0) throw new OAuthError("invalid_scope", "No scope was requested and the agent has no allowed tools");
    return allowed; // RFC 6749 3.3: the documented default is everything the agent may use
  }
  const tokens = requested.split(" ");
  if (tokens.some((t) => !SCOPE_PATTERN.test(t))) throw new OAuthError("invalid_scope", "scope must be space-separated tool names");
  const refused = tokens.filter((t) => !allowed.includes(t));
  if (refused.length > 0) throw new OAuthError("invalid_scope", `Not allowed for this agent: ${refused.join(" ")}`);
  return [...new Set(tokens)];
}

export function parseResource(resource: string | undefined): string {
  if (resource === undefined) return issuer();
  // RFC 8707 2: an absolute URI without a fragment
  if (!URL.canParse(resource) || resource.includes("#")) throw new OAuthError("invalid_target", "resource must be an absolute URI without a fragment");
  // the audience is repeated in the audit trail, which refuses anything shaped like a secret
  if (looksLikeSecret(resource)) throw new OAuthError("invalid_target", "resource must not contain a secret");
  return resource;
}

export async function clientCredentialsGrant(db: Db, client: AuthenticatedClient, form: Map<string, string>, now: Date): Promise<TokenResponse> {
  const p = params.parse(Object.fromEntries(form));
  const { agent } = client;
  const scope = parseScope(p.scope, agent.allowedScopes.split(" ").filter(Boolean));
  const audience = parseResource(p.resource);
  const ttlSeconds = Math.min(MAX_TOKEN_TTL_SECONDS, Math.max(MIN_TOKEN_TTL_SECONDS, agent.tokenTtlSeconds));
  const { token, claims } = await signAccessToken(db, { agentId: agent.id, tokenEpoch: agent.tokenEpoch, scope, audience, ttlSeconds }, now);
  await auditBatcher().record(
    {
      actor: { type: "agent", id: agent.id, label: agent.name },
      action: "token.issue",
      target: { type: "agent", id: agent.id },
      details: { jti: claims.jti, scope: claims.scope, aud: audience, exp: claims.exp, grant: "client_credentials", auth: client.method },
    },
    now,
  );
  return { access_token: token, token_type: "Bearer", expires_in: ttlSeconds, scope: claims.scope };
}
