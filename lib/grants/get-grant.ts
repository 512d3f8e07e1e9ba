import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type GrantView, toGrantViews, withRelations } from "./grant-view";

/** One grant with its status at `now`. Throws 404. */
export async function getGrant(db: Db, id: string, now = new Date()): Promise<GrantView> {
  const row = await db.grant.findUnique({ where: { id } });
  if (!row) throw notFound("Grant");
  return (await toGrantViews(db, await withRelations(db, [row]), now))[0]!;
}
