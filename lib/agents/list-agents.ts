// Lists agents with filters, a sort, and keyset paging: each page is one index range scan (indexes on
// (status, createdAt), (ownerId, createdAt), (name) and (createdAt, id)), however deep into 10,000 agents it is.
// The cursor is opaque: it carries the sort, the last row's sort value and its id (the tie-breaker).
import type { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/text-search";
import { AppError } from "@/lib/errors/app-error";
import type { AgentView } from "./agent-view";
import { toAgentViews, withOwner } from "./load-agent";
import { type AgentSort, type ListAgentsQuery, listAgentsQuery } from "./schemas";

type Order = "asc" | "desc";
type Cursor = { s: AgentSort; o: Order; v: string | null; id: string };

/** Newest first by default, names A to Z. */
const DEFAULT_ORDER: Record<AgentSort, Order> = { name: "asc", createdAt: "desc", lastSeenAt: "desc" };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(raw: string, sort: AgentSort, order: Order): Cursor {
  const invalid = new AppError("validation_failed", "cursor: is not a cursor of this listing", [
    { path: "cursor", message: "is not a cursor of this listing" },
  ]);
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor>;
  } catch {
    throw invalid;
  }
  // a cursor only means something under the sort it was made for
  if (!c || c.s !== sort || c.o !== order || typeof c.id !== "string" || (c.v !== null && typeof c.v !== "string")) throw invalid;
  if (sort !== "name" && c.v !== null && Number.isNaN(Date.parse(c.v))) throw invalid;
  return c as Cursor;
}

function sortValue(sort: AgentSort, a: { name: string; createdAt: Date; lastSeenAt: Date | null }): string | null {
  if (sort === "name") return a.name;
  if (sort === "createdAt") return a.createdAt.toISOString();
  return a.lastSeenAt?.toISOString() ?? null;
}

/**
 * The rows after the cursor in (sort value, id) order. lastSeenAt is nullable: agents never seen come last in both
 * directions, so after a non-null value come the larger/smaller values, the equal values with a later id, and then
 * every null; after a null only nulls with a later id remain.
 */
function after(c: Cursor, order: Order): Prisma.AgentWhereInput {
  const cmp = order === "asc" ? "gt" : "lt";
  const field = c.s;
  if (c.v === null) return { [field]: null, id: { [cmp]: c.id } };
  const value = field === "name" ? c.v : new Date(c.v);
  return {
    OR: [
      { [field]: { [cmp]: value } },
      { [field]: value, id: { [cmp]: c.id } },
      ...(field === "lastSeenAt" ? [{ lastSeenAt: null }] : []),
    ],
  };
}

export type AgentPage = { agents: AgentView[]; total: number; nextCursor: string | null };

export async function listAgents(db: Db, input: ListAgentsQuery = {}, now = new Date()): Promise<AgentPage> {
  const q = listAgentsQuery.parse(input);
  const order = q.order ?? DEFAULT_ORDER[q.sort];
  const where: Prisma.AgentWhereInput = {
    ...(q.q ? { OR: [{ name: containsInsensitive(q.q) }, { id: q.q }] } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.ownerId ? { ownerId: q.ownerId } : {}),
  };
  const cursor = q.cursor ? decodeCursor(q.cursor, q.sort, order) : null;
  const orderBy: Prisma.AgentOrderByWithRelationInput[] = [
    q.sort === "lastSeenAt" ? { lastSeenAt: { sort: order, nulls: "last" } } : { [q.sort]: order },
    { id: order },
  ];

  const [rows, total] = await Promise.all([
    db.agent.findMany({
      where: cursor ? { AND: [where, after(cursor, order)] } : where,
      orderBy,
      take: q.limit + 1,
      include: withOwner,
    }),
    db.agent.count({ where }),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    agents: await toAgentViews(db, page, now),
    total,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ s: q.sort, o: order, v: sortValue(q.sort, last), id: last.id }) : null,
  };
}
