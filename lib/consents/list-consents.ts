// Consents, newest first: a person's own (Connected agents), or any for admins, filtered by user, agent or status.
import { z } from "zod";
import type { Prisma } from "@/generated/sqlite/client";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import type { Db } from "@/lib/db/client";
import { type ConsentView, toConsentView } from "./consent-view";

export const listConsentsQuery = z.object({
  userId: z.string().trim().max(100).optional(),
  agentId: z.string().trim().max(100).optional(),
  status: z.enum(["active", "expired", "revoked"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ListConsentsQuery = z.input<typeof listConsentsQuery>;

export async function listConsents(db: Db, input: ListConsentsQuery, now = new Date()): Promise<ConsentView[]> {
  const q = listConsentsQuery.parse(input);
  const where: Prisma.ConsentWhereInput = {
    ...(q.userId ? { userId: q.userId } : {}),
    ...(q.agentId ? { agentId: q.agentId } : {}),
    ...(q.status === "active" ? { revokedAt: null, expiresAt: { gt: now } } : {}),
    ...(q.status === "expired" ? { revokedAt: null, expiresAt: { lte: now } } : {}),
    ...(q.status === "revoked" ? { revokedAt: { not: null } } : {}),
  };
  const rows = await db.consent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit });
  return viewsOf(db, rows, now);
}

export async function viewsOf(db: Db, rows: Awaited<ReturnType<Db["consent"]["findMany"]>>, now = new Date()): Promise<ConsentView[]> {
  const [users, agents, loaded] = await Promise.all([
    db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.userId))] } }, select: { id: true, email: true } }),
    db.agent.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.agentId))] } }, select: { id: true, name: true } }),
    currentAuthz(db, now.getTime()),
  ]);
  const names = { users: new Map(users.map((u) => [u.id, u.email])), agents: new Map(agents.map((a) => [a.id, a.name])) };
  return rows.map((r) => toConsentView(r, names, loaded, now));
}
