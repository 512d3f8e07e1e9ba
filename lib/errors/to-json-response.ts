// Maps any thrown value to the JSON API's error envelope: { error: { code, message, details? } }.
import { ZodError } from "zod";
import { AppError } from "./app-error";
import { logUnexpected } from "./log";
import { securityHeaders } from "@/lib/http/headers";

export function jsonError(error: AppError): Response {
  const body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  return Response.json(body, { status: error.status, headers: { ...securityHeaders, ...error.headers } });
}

export function toJsonErrorResponse(error: unknown, where: string): Response {
  if (error instanceof AppError) return jsonError(error);
  if (error instanceof ZodError) return jsonError(fromZodError(error));
  logUnexpected(where, error);
  return jsonError(new AppError("internal", "Internal error"));
}

export function fromZodError(error: ZodError): AppError {
  const details = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = details[0];
  return new AppError("validation_failed", first ? `${first.path || "body"}: ${first.message}` : "Invalid input", details);
}
