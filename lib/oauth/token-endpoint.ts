// The token endpoint as a plain handler: served by the App Router route and, on the fast path, straight from the
// custom server. It sets its own headers and reads nothing but its request.
import { getDb } from "@/lib/db/client";
import { OAuthError } from "@/lib/errors/oauth-error";
import { oauthErrorResult } from "@/lib/errors/to-oauth-response";
import { clientAddress } from "@/lib/http/client-address";
import { noStoreHeaders } from "@/lib/http/headers";
import { type PlainRequest, type PlainResponse, plainJson } from "@/lib/http/plain";
import { authenticateClient } from "./client-auth";
import { GRANTS } from "./grants";
import { readOAuthForm } from "./read-form";

export async function handleTokenRequest(request: PlainRequest): Promise<PlainResponse> {
  const basicAuthAttempted = /^basic /i.test(request.headers.get("authorization") ?? "");
  try {
    const form = readOAuthForm(request);
    const grantType = form.get("grant_type");
    if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
    const grant = GRANTS[grantType];
    if (!grant) throw new OAuthError("unsupported_grant_type", `Unsupported grant_type: ${grantType.slice(0, 100)}`);
    const db = getDb();
    const now = new Date();
    const client = await authenticateClient(db, { headers: request.headers, address: clientAddress(request.headers), params: form }, now);
    return plainJson(200, await grant(db, client, form, now), noStoreHeaders);
  } catch (e) {
    return oauthErrorResult(e, "POST /oauth/token", { basicAuthAttempted });
  }
}
