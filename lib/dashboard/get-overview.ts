import type { Db } from "@/lib/db/client";

/** Counts for the dashboard, in one round trip each, all indexed. */
export async function getOverview(db: Db, now = new Date()) {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000);
  const [activeUsers, admins, activeApiKeys, failedSignIns24h, events24h] = await Promise.all([
    db.user.count({ where: { disabledAt: null } }),
    db.user.count({ where: { disabledAt: null, role: "admin" } }),
    db.apiKey.count({ where: { revokedAt: null } }),
    db.auditEvent.count({ where: { action: "auth.sign_in", result: "failure", createdAt: { gte: dayAgo } } }),
    db.auditEvent.count({ where: { createdAt: { gte: dayAgo } } }),
  ]);
  return { activeUsers, admins, activeApiKeys, failedSignIns24h, events24h };
}
