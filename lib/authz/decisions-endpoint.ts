// POST /api/v1/decisions as a plain handler: the App Router route wraps it, the custom server serves it directly.
// A negative decision is data (200, "deny" with its reasons); only a bad request or bad credentials are errors.
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { jsonErrorResult } from "@/lib/errors/to-json-response";
import { securityHeaders } from "@/lib/http/headers";
import { type PlainRequest, type PlainResponse, plainJson } from "@/lib/http/plain";
import { authenticateResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { makeDecision } from "./make-decision";

export const MAX_DECISION_BODY_BYTES = 256 * 1024;

export async function handleDecisionRequest(request: PlainRequest): Promise<PlainResponse> {
  try {
    const db = getDb();
    const server = await authenticateResourceServer(db, request.headers.get("authorization"));
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(request.headers.get("content-type") ?? "")) {
      throw new AppError("unsupported_media_type", "Send the body as application/json");
    }
    if (request.body === null) throw new AppError("payload_too_large", `Request body is larger than ${MAX_DECISION_BODY_BYTES} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      throw new AppError("bad_request", "Request body is not valid JSON");
    }
    return plainJson(200, await makeDecision(db, server, body as never), securityHeaders);
  } catch (e) {
    return jsonErrorResult(e, "POST /api/v1/decisions");
  }
}
