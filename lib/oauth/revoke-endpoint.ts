// RFC 7009 token revocation: an agent revokes one of its own tokens. Unknown, expired, foreign or already revoked
// tokens also answer 200 (2.2: the client cannot act on the difference, and it must learn nothing from it).
import { recordAuditEvent } from "@/lib/audit/record-event";
import { getDb } from "@/lib/db/client";
import { OAuthError } from "@/lib/errors/oauth-error";
import { oauthErrorResult } from "@/lib/errors/to-oauth-response";
import { clientAddress } from "@/lib/http/client-address";
import { noStoreHeaders } from "@/lib/http/headers";
import type { PlainRequest, PlainResponse } from "@/lib/http/plain";
import { checkAccessToken } from "./access-token";
import { changeCredentials } from "@/lib/agents/credential-cache";
import { authenticateClient } from "./client-auth";
import { readOAuthForm } from "./read-form";

export async function handleRevocationRequest(request: PlainRequest): Promise<PlainResponse> {
  const basicAuthAttempted = /^basic /i.test(request.headers.get("authorization") ?? "");
  try {
    const form = readOAuthForm(request);
    const db = getDb();
    const now = new Date();
    const address = clientAddress(request.headers);
    const { agent } = await authenticateClient(db, { headers: request.headers, address, params: form }, now);
    const token = form.get("token");
    if (!token) throw new OAuthError("invalid_request", "token is required");
    const hint = form.get("token_type_hint");
    if (hint !== undefined && hint !== "access_token" && hint !== "refresh_token") {
      throw new OAuthError("unsupported_token_type", "token_type_hint must be access_token");
    }
    const check = await checkAccessToken(db, token, now);
    if (check.active && check.claims.client_id === agent.id) {
      const { jti, exp } = check.claims;
      await changeCredentials(db, async (tx) => {
        await tx.revokedToken.upsert({ where: { jti }, create: { jti, agentId: agent.id, expiresAt: new Date(exp * 1000) }, update: {} });
        await recordAuditEvent(tx, {
          actor: { type: "agent", id: agent.id, label: agent.name },
          action: "token.revoke",
          target: { type: "agent", id: agent.id },
          details: { jti },
          ip: address,
        });
      });
    }
    return { status: 200, headers: noStoreHeaders, body: "" };
  } catch (e) {
    return oauthErrorResult(e, "POST /oauth/revoke", { basicAuthAttempted });
  }
}
