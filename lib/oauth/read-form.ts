// Reads an application/x-www-form-urlencoded OAuth request body (RFC 6749 section 3.2): capped at 64 KB, and every
// parameter at most once ("parameters MUST NOT be included more than once").
import { OAuthError } from "@/lib/errors/oauth-error";
import { readCappedBody } from "@/lib/http/read-body";

export const MAX_FORM_BYTES = 64 * 1024;


export async function readOAuthForm(request: Request): Promise<Map<string, string>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded");
  }
  const body = await readCappedBody(request, MAX_FORM_BYTES);
  if (body === null) throw new OAuthError("invalid_request", `The request body is larger than ${MAX_FORM_BYTES} bytes`, { status: 413 });
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body.toString("utf8"))) {
    if (params.has(name)) throw new OAuthError("invalid_request", `The parameter ${name} is included more than once`);
    params.set(name, value);
  }
  return params;
}
