// Reads a JSON request body with a size cap: 415 for another media type, 413 past the limit, 400 when unparseable.
import { AppError } from "@/lib/errors/app-error";
import { readCappedBody } from "./read-body";

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json");
  }
  const body = await readCappedBody(request, maxBytes);
  if (body === null) throw new AppError("payload_too_large", `Request body is larger than ${maxBytes} bytes`);
  const text = body.toString("utf8");
  if (!text.trim()) throw new AppError("bad_request", "Request body is empty");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
}
