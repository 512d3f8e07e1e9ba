import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { AppError } from "./app-error";
import { OAUTH_ERROR_STATUS, OAuthError, type OAuthErrorCode } from "./oauth-error";
import { toOAuthErrorResponse } from "./to-oauth-response";

let logged: MockInstance<typeof console.error>;
beforeEach(() => {
  logged = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => logged.mockRestore());

describe("toOAuthErrorResponse", () => {
  it("answers invalid_client with 401, WWW-Authenticate and no-store (RFC 6749 5.2)", async () => {
    const res = toOAuthErrorResponse(new OAuthError("invalid_client", "Client authentication failed"), "test");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="deputy"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
  });

  it("names Basic in WWW-Authenticate when the client tried Basic", () => {
    const res = toOAuthErrorResponse(new OAuthError("invalid_client", "Client authentication failed"), "test", { basicAuthAttempted: true });
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="deputy"');
  });

  it.each((Object.entries(OAUTH_ERROR_STATUS) as [OAuthErrorCode, number][]).filter(([c]) => c !== "invalid_client"))(
    "%s answers %i, no-store, without WWW-Authenticate",
    async (code, status) => {
      const res = toOAuthErrorResponse(new OAuthError(code, `about ${code}`), "test");
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: code, error_description: `about ${code}` });
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.has("www-authenticate")).toBe(false);
    },
  );

  it.each([
    ["an Error", new Error("jwks fetch failed: key=abc123")],
    ["an AppError (the console's errors never leak into OAuth)", new AppError("conflict", "console conflict")],
  ])("answers %s with 500 server_error, leaking nothing", async (_, thrown) => {
    const res = toOAuthErrorResponse(thrown, "POST /oauth/token");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: "server_error", error_description: "Internal error" });
    expect(text).not.toContain(thrown.message);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(logged).toHaveBeenCalledWith("[deputy] unexpected error in POST /oauth/token:", thrown);
  });
});
