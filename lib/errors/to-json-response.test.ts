import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { z } from "zod";
import { APP_ERROR_STATUS, AppError, type AppErrorCode, notFound } from "./app-error";
import { fromZodError, toJsonErrorResponse } from "./to-json-response";

let logged: MockInstance<typeof console.error>;
beforeEach(() => {
  // unexpected errors are logged whole to the server log; keep the test output clean but check what was logged
  logged = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => logged.mockRestore());

async function read(res: Response) {
  return { status: res.status, text: await res.text(), headers: Object.fromEntries(res.headers) };
}

describe("toJsonErrorResponse", () => {
  it.each(Object.entries(APP_ERROR_STATUS) as [AppErrorCode, number][])("AppError %s answers %i with the envelope", async (code, status) => {
    const res = await read(toJsonErrorResponse(new AppError(code, `message for ${code}`), "test"));
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text)).toEqual({ error: { code, message: `message for ${code}` } });
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(logged).not.toHaveBeenCalled();
  });

  it("carries an AppError's details and extra headers", async () => {
    const e = new AppError("rate_limited", "Too many failed sign-ins; try again in 30 s", { retryAfterSeconds: 30 }, { "Retry-After": "30" });
    const res = await read(toJsonErrorResponse(e, "test"));
    expect(res.status).toBe(429);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: "rate_limited", message: "Too many failed sign-ins; try again in 30 s", details: { retryAfterSeconds: 30 } },
    });
    expect(res.headers["retry-after"]).toBe("30");
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("notFound names the thing", async () => {
    const res = await read(toJsonErrorResponse(notFound("API key"), "test"));
    expect([res.status, JSON.parse(res.text)]).toEqual([404, { error: { code: "not_found", message: "API key not found" } }]);
  });

  it("maps a ZodError to 400 validation_failed with each issue's path", async () => {
    const schema = z.object({ email: z.string(), profile: z.object({ tags: z.array(z.number()) }) });
    const parsed = schema.safeParse({ profile: { tags: [1, "x"] } });
    expect(parsed.success).toBe(false);
    const res = await read(toJsonErrorResponse(parsed.error, "test"));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      error: {
        code: "validation_failed",
        message: "email: Invalid input: expected string, received undefined",
        details: [
          { path: "email", message: "Invalid input: expected string, received undefined" },
          { path: "profile.tags.1", message: "Invalid input: expected number, received string" },
        ],
      },
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it("names the body when the issue is at the root", () => {
    const parsed = z.object({}).strict().safeParse({ extra: 1 });
    const e = fromZodError(parsed.error!);
    expect([e.code, e.message, e.details]).toEqual(["validation_failed", 'body: Unrecognized key: "extra"', [{ path: "", message: 'Unrecognized key: "extra"' }]]);
  });

  it.each([
    ["an Error", () => new Error("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2")],
    ["a TypeError", () => new TypeError("Cannot read properties of undefined (reading 'passwordHash')")],
    ["a thrown string", () => "secret-string-thrown"],
    ["an object with a code", () => ({ code: "P2002", meta: { target: ["email"] }, message: "Unique constraint failed on email" })],
  ])("answers %s with a generic 500 that leaks nothing, and logs it whole", async (_, make) => {
    const thrown = make();
    const res = await read(toJsonErrorResponse(thrown, "POST /api/v1/users"));
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"error":{"code":"internal","message":"Internal error"}}');
    const message = typeof thrown === "string" ? thrown : (thrown as { message: string }).message;
    expect(res.text).not.toContain(message);
    expect(res.text).not.toContain("at ");
    expect(res.text).not.toContain("stack");
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith("[deputy] unexpected error in POST /api/v1/users:", thrown);
  });
});
