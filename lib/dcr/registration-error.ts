// Errors of /oauth/register: RFC 7591 section 3.2.2 for bad metadata, RFC 6750 section 3.1 for a bad initial access
// token. The same `{ error, error_description }` shape as every OAuth endpoint, never the console's envelope.
import { logUnexpected } from "@/lib/errors/log";
import { noStoreHeaders } from "@/lib/http/headers";

export const REGISTRATION_ERROR_STATUS = {
  invalid_client_metadata: 400,
  invalid_redirect_uri: 400,
  invalid_software_statement: 400,
  invalid_token: 401,
  temporarily_unavailable: 429,
  server_error: 500,
} as const;

export type RegistrationErrorCode = keyof typeof REGISTRATION_ERROR_STATUS;

export class RegistrationError extends Error {
  override name = "RegistrationError";
  constructor(
    readonly code: RegistrationErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }

  get status(): number {
    return REGISTRATION_ERROR_STATUS[this.code];
  }
}

const quoted = (s: string) => s.replace(/["\\]/g, "'");

export function registrationErrorResponse(error: unknown): Response {
  const e = error instanceof RegistrationError ? error : (logUnexpected("POST /oauth/register", error), new RegistrationError("server_error", "Internal error"));
  const headers: Record<string, string> = { ...noStoreHeaders, "content-type": "application/json", ...e.headers };
  if (e.status === 401 && !headers["WWW-Authenticate"]) {
    headers["WWW-Authenticate"] = `Bearer realm="deputy", error="invalid_token", error_description="${quoted(e.description)}"`;
  }
  return new Response(JSON.stringify({ error: e.code, error_description: e.description }), { status: e.status, headers });
}
