// GET /api/health, for load balancers: no authentication, no details beyond reachability.
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { json } from "../helpers/http";

describe("GET /api/health", () => {
  it("answers 200 with the database reachable and the provider, never cached", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({ ok: true, database: "reachable", latencyMs: expect.any(Number), provider: process.env.DEPUTY_TEST_DB_PROVIDER });
    expect(body.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
  });

  it("says nothing about where the database is", async () => {
    const text = await (await GET()).text();
    expect(text).not.toContain(process.env.DATABASE_URL!);
    expect(text).not.toMatch(/file:|postgres(ql)?:\/\//);
  });
});
