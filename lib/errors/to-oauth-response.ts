// Maps any thrown value to an RFC 6749 section 5.2 error response. Never the console's envelope.
import { OAuthError } from "./oauth-error";
import { logUnexpected } from "./log";
import { noStoreHeaders } from "@/lib/http/headers";

export function toOAuthErrorResponse(error: unknown, where: string, opts: { basicAuthAttempted?: boolean } = {}): Response {
  const e = error instanceof OAuthError ? error : (logUnexpected(where, error), new OAuthError("server_error", "Internal error"));
  const headers: Record<string, string> = { ...noStoreHeaders };
  // RFC 6749 5.2: a 401 invalid_client must carry WWW-Authenticate naming the scheme the client tried
  if (e.code === "invalid_client") headers["WWW-Authenticate"] = opts.basicAuthAttempted ? 'Basic realm="deputy"' : 'Bearer realm="deputy"';
  return Response.json({ error: e.code, error_description: e.description }, { status: e.status, headers });
}
