// The token endpoint as a plain (Request) => Response function: served by the App Router route and, on the fast
// path, straight from the custom server. It sets its own headers and reads nothing but its Request.
import { getDb } from "@/lib/db/client";
import { OAuthError } from "@/lib/errors/oauth-error";
import { toOAuthErrorResponse } from "@/lib/errors/to-oauth-response";
import { clientAddress } from "@/lib/http/client-address";
import { noStoreHeaders } from "@/lib/http/headers";
import { authenticateClient } from "./client-auth";
import { GRANTS } from "./grants";
import { readOAuthForm } from "./read-form";

export async function handleTokenRequest(request: Request): Promise<Response> {
  const basicAuthAttempted = /^basic /i.test(request.headers.get("authorization") ?? "");
  try {
    const form = await readOAuthForm(request);
    const grantType = form.get("grant_type");
    if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
    const grant = GRANTS[grantType];
    if (!grant) throw new OAuthError("unsupported_grant_type", `Unsupported grant_type: ${grantType.slice(0, 100)}`);
    const db = getDb();
    const now = new Date();
    const client = await authenticateClient(db, { headers: request.headers, address: clientAddress(request.headers), params: form }, now);
    return Response.json(await grant(db, client, form, now), { headers: noStoreHeaders });
  } catch (e) {
    return toOAuthErrorResponse(e, "POST /oauth/token", { basicAuthAttempted });
  }
}
