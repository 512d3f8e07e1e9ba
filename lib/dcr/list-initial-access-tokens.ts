import type { Db } from "@/lib/db/client";
import { type InitialAccessTokenView, toInitialAccessTokenViews } from "./initial-access-token-view";

/** The most recent initial access tokens, newest first (the table keeps used and revoked ones for the record). */
export async function listInitialAccessTokens(db: Db, now = new Date()): Promise<InitialAccessTokenView[]> {
  const rows = await db.initialAccessToken.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 500 });
  return toInitialAccessTokenViews(db, rows, now);
}
