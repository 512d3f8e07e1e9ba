// What leaves the server about an initial access token: never its hash; the token itself only once, at issue.
import type { InitialAccessToken } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";

export type InitialAccessTokenStatus = "active" | "used" | "revoked" | "expired";

export type InitialAccessTokenView = {
  id: string;
  last4: string;
  status: InitialAccessTokenStatus;
  /** the user who will own the agent it registers (the admin who issued it, unless another owner was named) */
  owner: { id: string; email: string } | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
};

export function initialAccessTokenStatus(t: Pick<InitialAccessToken, "usedAt" | "revokedAt" | "expiresAt">, now = new Date()): InitialAccessTokenStatus {
  if (t.revokedAt) return "revoked";
  if (t.usedAt) return "used";
  return t.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

/** Views of the given rows, with their owners read in one query. */
export async function toInitialAccessTokenViews(db: Db, rows: InitialAccessToken[], now = new Date()): Promise<InitialAccessTokenView[]> {
  const ownerIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const owners = ownerIds.length === 0 ? [] : await db.user.findMany({ where: { id: { in: ownerIds } }, select: { id: true, email: true } });
  const byId = new Map(owners.map((o) => [o.id, o]));
  return rows.map((t) => ({
    id: t.id,
    last4: t.last4,
    status: initialAccessTokenStatus(t, now),
    owner: (t.createdById && byId.get(t.createdById)) || null,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    usedAt: t.usedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }));
}
