import type { Db } from "@/lib/db/client";
import { type DrillView, toDrillView } from "./drill-view";

/** The most recent drills, newest first. */
export async function listDrills(db: Db, limit = 50): Promise<DrillView[]> {
  const rows = await db.killDrill.findMany({ orderBy: [{ startedAt: "desc" }, { id: "desc" }], take: Math.min(Math.max(limit, 1), 200) });
  return rows.map(toDrillView);
}
