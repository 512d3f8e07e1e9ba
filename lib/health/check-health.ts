import type { Db } from "@/lib/db/client";

/** Is the database reachable? One round trip, with its latency. */
export async function checkHealth(db: Db): Promise<{ ok: boolean; database: "reachable" | "unreachable"; latencyMs: number }> {
  const started = performance.now();
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return { ok: true, database: "reachable", latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, database: "unreachable", latencyMs: Math.round(performance.now() - started) };
  }
}
