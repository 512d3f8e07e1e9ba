import type { Db } from "@/lib/db/client";

/** Signing keys for the console: public facts only, never the sealed private key. */
export async function listSigningKeys(db: Db, now = new Date()) {
  const rows = await db.signingKey.findMany({ orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map((r) => ({
    kid: r.kid,
    alg: r.alg,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    retiredAt: r.retiredAt?.toISOString() ?? null,
    publishUntil: r.publishUntil?.toISOString() ?? null,
    published: r.status === "active" || (r.publishUntil !== null && r.publishUntil > now),
  }));
}
