// Parses an application/x-www-form-urlencoded OAuth request (RFC 6749 section 3.2): at most 64 KB, and every
// parameter at most once ("parameters MUST NOT be included more than once").
import { OAuthError } from "@/lib/errors/oauth-error";
import type { PlainRequest } from "@/lib/http/plain";

export const MAX_FORM_BYTES = 64 * 1024;

export function readOAuthForm(request: PlainRequest): Map<string, string> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded");
  }
  if (request.body === null) throw new OAuthError("invalid_request", `The request body is larger than ${MAX_FORM_BYTES} bytes`, { status: 413 });
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(request.body.toString("utf8"))) {
    if (params.has(name)) throw new OAuthError("invalid_request", `The parameter ${name} is included more than once`);
    params.set(name, value);
  }
  return params;
}
