// Maps any thrown value to the JSON API's error envelope: { error: { code, message, details? } }.
import { ZodError } from "zod";
import { AppError } from "./app-error";
import { logUnexpected } from "./log";
import { securityHeaders } from "@/lib/http/headers";
import { type PlainResponse, plainJson } from "@/lib/http/plain";

export function jsonError(error: AppError): Response {
  const body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  return Response.json(body, { status: error.status, headers: { ...securityHeaders, ...error.headers } });
}

/** The AppError any thrown value answers as: itself, a validation error, or a bare internal error (logged whole). */
export function asAppError(error: unknown, where: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  logUnexpected(where, error);
  return new AppError("internal", "Internal error");
}

export function toJsonErrorResponse(error: unknown, where: string): Response {
  return jsonError(asAppError(error, where));
}

/** The same envelope as a plain response, for handlers on the fast path. */
export function jsonErrorResult(error: unknown, where: string): PlainResponse {
  const e = asAppError(error, where);
  const body = { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
  return plainJson(e.status, body, { ...securityHeaders, ...e.headers });
}

export function fromZodError(error: ZodError): AppError {
  const details = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = details[0];
  return new AppError("validation_failed", first ? `${first.path || "body"}: ${first.message}` : "Invalid input", details);
}
