// RFC 7662 token introspection. Callers authenticate with an admin API key (Bearer dpk_...) or as an agent allowed
// to introspect. A token that does not stand, for whatever reason, is just { "active": false }.
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { OAuthError } from "@/lib/errors/oauth-error";
import { oauthErrorResult } from "@/lib/errors/to-oauth-response";
import { clientAddress } from "@/lib/http/client-address";
import { noStoreHeaders } from "@/lib/http/headers";
import { type PlainRequest, type PlainResponse, plainJson } from "@/lib/http/plain";
import { checkAccessToken } from "./access-token";
import { authenticateClient } from "./client-auth";
import { readOAuthForm } from "./read-form";

export async function handleIntrospectionRequest(request: PlainRequest): Promise<PlainResponse> {
  const basicAuthAttempted = /^basic /i.test(request.headers.get("authorization") ?? "");
  try {
    const form = readOAuthForm(request);
    const db = getDb();
    const now = new Date();
    const bearer = /^bearer (\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    if (bearer) {
      try {
        await authenticateApiKey(db, bearer, now);
      } catch (e) {
        if (e instanceof AppError) throw new OAuthError("invalid_client", "Invalid or revoked API key");
        throw e;
      }
    } else {
      const { agent } = await authenticateClient(db, { headers: request.headers, address: clientAddress(request.headers), params: form }, now);
      if (!agent.canIntrospect) throw new OAuthError("unauthorized_client", "This agent may not introspect tokens");
    }
    const token = form.get("token");
    if (!token) throw new OAuthError("invalid_request", "token is required");
    const check = await checkAccessToken(db, token, now);
    if (!check.active) return plainJson(200, { active: false }, noStoreHeaders);
    const c = check.claims;
    return plainJson(
      200,
      {
        active: true, scope: c.scope, client_id: c.client_id, token_type: "Bearer", exp: c.exp, iat: c.iat, sub: c.sub, aud: c.aud, iss: c.iss, jti: c.jti,
        // RFC 7662 2.2 allows more members: the whole delegation chain (RFC 8693 act) and where the token may act (RFC 9396)
        ...(c.act ? { act: c.act } : {}),
        ...(c.authorization_details ? { authorization_details: c.authorization_details } : {}),
      },
      noStoreHeaders,
    );
  } catch (e) {
    return oauthErrorResult(e, "POST /oauth/introspect", { basicAuthAttempted });
  }
}
