// Maps any thrown value to an RFC 6749 section 5.2 error response. Never the console's envelope.
import { ZodError } from "zod";
import { noStoreHeaders } from "@/lib/http/headers";
import { type PlainResponse, plainJson } from "@/lib/http/plain";
import { logUnexpected } from "./log";
import { OAuthError } from "./oauth-error";

export function oauthErrorResult(error: unknown, where: string, opts: { basicAuthAttempted?: boolean } = {}): PlainResponse {
  const e =
    error instanceof OAuthError
      ? error
      : error instanceof ZodError
        ? new OAuthError("invalid_request", error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))
        : (logUnexpected(where, error), new OAuthError("server_error", "Internal error"));
  const headers: Record<string, string> = { ...noStoreHeaders, ...e.options.headers };
  // RFC 6749 5.2: a 401 invalid_client carries WWW-Authenticate (Basic when the client tried Basic)
  if (e.status === 401) headers["WWW-Authenticate"] = opts.basicAuthAttempted ? 'Basic realm="deputy"' : 'Bearer realm="deputy"';
  return plainJson(e.status, { error: e.code, error_description: e.description }, headers);
}

export function toOAuthErrorResponse(error: unknown, where: string, opts: { basicAuthAttempted?: boolean } = {}): Response {
  const r = oauthErrorResult(error, where, opts);
  return new Response(r.body, { status: r.status, headers: r.headers });
}
