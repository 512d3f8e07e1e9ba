// POST /oauth/register as a handler over a web Request: read the initial access token and the JSON metadata, call
// the use case, answer 201 with the client's credentials (no-store: the secret is in this response only).
import { getDb } from "@/lib/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { noStoreHeaders } from "@/lib/http/headers";
import { readCappedBody } from "@/lib/http/read-body";
import { registerClient } from "./register-client";
import { RegistrationError, registrationErrorResponse } from "./registration-error";

export const MAX_REGISTRATION_BYTES = 64 * 1024;

async function readMetadata(request: Request): Promise<unknown> {
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(request.headers.get("content-type") ?? "")) {
    throw new RegistrationError("invalid_client_metadata", "Send the client metadata as application/json");
  }
  const body = await readCappedBody(request, MAX_REGISTRATION_BYTES);
  if (body === null) throw new RegistrationError("invalid_client_metadata", `The request body is larger than ${MAX_REGISTRATION_BYTES} bytes`);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new RegistrationError("invalid_client_metadata", "The request body is not valid JSON");
  }
}

export async function handleRegistrationRequest(request: Request): Promise<Response> {
  try {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? null;
    const response = await registerClient(getDb(), { initialAccessToken: bearer, readBody: () => readMetadata(request), ip: clientAddress(request.headers) });
    return new Response(JSON.stringify(response), { status: 201, headers: { ...noStoreHeaders, "content-type": "application/json" } });
  } catch (e) {
    return registrationErrorResponse(e);
  }
}
