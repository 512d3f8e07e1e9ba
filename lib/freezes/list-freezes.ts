import type { Db } from "@/lib/db/client";
import { type FreezeView, toFreezeViews } from "./freeze-view";
import { type ListFreezesQuery, listFreezesQuery } from "./schemas";

const RECENT = 50;

/** The freezes in force (all of them) and, unless `active`, the most recent lifted ones; newest first. */
export async function listFreezes(db: Db, input: ListFreezesQuery = {}): Promise<FreezeView[]> {
  const q = listFreezesQuery.parse(input);
  const active = await db.freeze.findMany({ where: { liftedAt: null }, orderBy: { createdAt: "desc" } });
  const lifted = q.active === "true" ? [] : await db.freeze.findMany({ where: { liftedAt: { not: null } }, orderBy: { createdAt: "desc" }, take: RECENT });
  return toFreezeViews(db, [...active, ...lifted]);
}
