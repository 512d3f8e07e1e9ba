import type { Db } from "@/lib/db/client";
import { toResourceServerView, type ResourceServerView } from "./resource-server-view";

/** Every resource server by name, with how many of its secrets work now (one grouped query). */
export async function listResourceServers(db: Db, now = new Date()): Promise<ResourceServerView[]> {
  const rows = await db.resourceServer.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
  const groups = await db.resourceServerSecret.groupBy({
    by: ["resourceServerId"],
    where: { resourceServerId: { in: rows.map((r) => r.id) }, revokedAt: null, expiresAt: { gt: now } },
    _count: { _all: true },
  });
  const active = new Map(groups.map((g) => [g.resourceServerId, g._count._all]));
  return rows.map((r) => toResourceServerView(r, active.get(r.id) ?? 0));
}
