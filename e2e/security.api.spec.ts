import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { createUser, signInRequest } from "./helpers";

test("repeated failed sign-ins for one account answer 429 with Retry-After, then the right password waits too", async ({ request }) => {
  const user = createUser("viewer");
  for (let i = 0; i < 5; i++) {
    const res = await signInRequest(request, user.email, "wrong-password-xyz");
    expect(res.status()).toBe(401);
  }
  const blocked = await signInRequest(request, user.email, user.password);
  expect(blocked.status()).toBe(429);
  expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await blocked.json()).error).toBe("rate_limited");
  // no session was created
  expect((await request.get("/api/v1/me")).status()).toBe(401);
});

test("pages carry a nonce-based CSP and are never cached", async ({ request }) => {
  const res = await request.get("/sign-in");
  const h = res.headers();
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["cache-control"]).toContain("no-store");
});

test("the JSON API: 401 without credentials, 404 for unknown routes, the OpenAPI document", async ({ request }) => {
  const res = await request.get("/api/v1/users");
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Sign in or send an API key" } });
  const missing = await request.get("/api/v1/no-such-thing", { headers: { Authorization: "Bearer nope" } });
  expect(missing.status()).toBe(404);
  const doc = await request.get("/api/v1/openapi.json");
  expect((await doc.json()).openapi).toBe("3.1.0");
});

test("cookie-authenticated writes from another origin are refused (CSRF); oversized bodies get 413", async ({ request }) => {
  expect((await signInRequest(request, E2E_ADMIN.email, E2E_ADMIN.password)).status()).toBe(200);
  const body = { name: "csrf-test" };
  const foreign = await request.post("/api/v1/api-keys", { data: body, headers: { Origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);
  expect(await foreign.json()).toEqual({ error: { code: "forbidden", message: "Cross-site request refused" } });
  const noOrigin = await request.post("/api/v1/api-keys", { data: body });
  expect(noOrigin.status()).toBe(403);

  const origin = new URL((await request.get("/api/health")).url()).origin;
  const bad = await request.post("/api/v1/users", { headers: { Origin: origin, "content-type": "application/json" }, data: Buffer.from("{not json") });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toEqual({ error: { code: "bad_request", message: "Request body is not valid JSON" } });
  // last: the server answers before reading the oversized body and then closes the connection
  const big = await request.post("/api/v1/users", {
    headers: { Origin: origin, "content-type": "application/json" },
    data: JSON.stringify({ email: "x@example.com", name: "x".repeat(2_000_000) }),
  });
  expect(big.status()).toBe(413);
});
