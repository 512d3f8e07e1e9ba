import type { Db } from "@/lib/db/client";
import { loadResourceServer, type ResourceServerDetailView } from "./resource-server-view";

/** One resource server with its secrets (last four characters only). Throws 404. */
export function getResourceServer(db: Db, id: string, now = new Date()): Promise<ResourceServerDetailView> {
  return loadResourceServer(db, id, now);
}
