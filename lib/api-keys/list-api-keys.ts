import type { Db } from "@/lib/db/client";
import { toApiKeyView } from "./api-key-view";

export async function listApiKeys(db: Db) {
  const keys = await db.apiKey.findMany({ orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }], take: 500 });
  return keys.map(toApiKeyView);
}
