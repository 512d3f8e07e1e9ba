// GET /api/health: liveness and database reachability, for load balancers (no authentication, no details).
import { databaseProvider, getDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { noStoreHeaders } from "@/lib/http/headers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(getDb());
  return Response.json({ ...health, provider: databaseProvider() }, { status: health.ok ? 200 : 503, headers: noStoreHeaders });
}
