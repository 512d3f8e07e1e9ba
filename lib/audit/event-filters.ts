// Filters over the audit trail, shared by the listing, the export and the console's URL.
//
// Query parameters (the console's /audit URL uses the same names; other pages link to filtered views with them,
// so they are a public contract: do not rename):
//   agent=agt_...    events the agent did (actor) or that were done to it (target)
//   user=usr_...     events a person did (actor)
//   actorId, targetId   exact actor / target id, whatever its kind
//   action=decision.make   exact action; action=decision.   every action of that noun (prefix, ends with ".")
//   result=allow|deny|approval_required|success|failure
//   from, to         ISO 8601 date-times with an offset; from inclusive, to exclusive
//   node=res_... or a tree path   events whose target is that resource node or any node below it
// (the names are listed for the console in filter-params.ts)
import { z } from "zod";
import { Prisma } from "@/generated/sqlite/client";
import { type Db, databaseProvider } from "@/lib/db/client";
import { sqliteTime } from "@/lib/db/sqlite-time";
import { AppError } from "@/lib/errors/app-error";
import { subtreePattern } from "@/lib/resources/paths";
import { resolveNodeRef } from "@/lib/resources/resolve-node-ref";

export const AUDIT_RESULTS = ["success", "failure", "allow", "deny", "approval_required"] as const;

const idOf = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{1,40}$`), `must be an id starting with ${prefix}_`);
const instant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time with an offset, e.g. 2026-11-29T10:00:00Z" }).transform((s) => new Date(s));

export const auditFilterShape = {
  agent: idOf("agt").optional(),
  user: idOf("usr").optional(),
  actorId: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(100).optional(),
  action: z
    .string()
    .regex(/^[a-z_]+\.([a-z_]+)?$/, 'must be an action (decision.make) or a noun and a dot (decision.) for all of its actions')
    .max(100)
    .optional(),
  result: z.enum(AUDIT_RESULTS).optional(),
  from: instant.optional(),
  to: instant.optional(),
  node: z.string().min(1).max(1000).optional(),
};

/** from must come before to (a superRefine for every schema built on auditFilterShape). */
export const checkRange = <T extends { from?: Date; to?: Date }>(q: T, ctx: z.RefinementCtx<T>) => {
  if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
};

export const auditFilterQuery = z.object(auditFilterShape).superRefine(checkRange);
export type AuditFilter = z.output<typeof auditFilterQuery>;
export type AuditFilterInput = z.input<typeof auditFilterQuery>;

// ---------------------------------------------------------------------------------------------------------------
// SQL. Raw, because a subtree is a subquery and Prisma's `where` cannot say it. Every value is a bound parameter.

const sqlite = () => databaseProvider() !== "postgresql";
/** Bound as text on SQLite, where times are stored and compared as text. */
export const timeParam = (d: Date) => (sqlite() ? sqliteTime(d) : d);

/**
 * A subtree larger than this is filtered while walking the (createdAt, id) index; a smaller one drives the query
 * through the (targetId, createdAt) index. Measured trade-off: many nodes with an IN list make the database sort
 * every matching event before the first page; few nodes make the time-ordered walk skip most rows.
 */
const SMALL_SUBTREE = 32;

export type ResolvedFilter = {
  /** conditions on "AuditEvent", ANDed */
  where: Prisma.Sql[];
  /** the agent filter is "actor or target": two index-ordered branches, merged (see list-events.ts) */
  agent?: string;
};

/** Turns a parsed filter into SQL conditions. Throws 400 for a node that does not exist. */
export async function resolveAuditFilter(db: Db, f: AuditFilter): Promise<ResolvedFilter> {
  const where: Prisma.Sql[] = [];
  if (f.user) where.push(Prisma.sql`"actorId" = ${f.user}`);
  if (f.actorId) where.push(Prisma.sql`"actorId" = ${f.actorId}`);
  if (f.targetId) where.push(Prisma.sql`"targetId" = ${f.targetId}`);
  if (f.action?.endsWith(".")) {
    // A prefix is usually a common noun (decision.): walk time order and filter, rather than read every decision
    // through the action index and sort them. SQLite: a range (its LIKE cannot use a case-sensitive index) behind
    // a unary + that keeps it from driving; PostgreSQL plans with its statistics.
    const upper = `${f.action.slice(0, -1)}/`; // "." + 1
    where.push(sqlite() ? Prisma.sql`+"action" >= ${f.action} AND +"action" < ${upper}` : Prisma.sql`"action" LIKE ${subtreePattern(f.action)} ESCAPE '\\'`);
  } else if (f.action) where.push(Prisma.sql`"action" = ${f.action}`);
  if (f.result) where.push(Prisma.sql`"result" = ${f.result}`);
  if (f.from) where.push(Prisma.sql`"createdAt" >= ${timeParam(f.from)}`);
  if (f.to) where.push(Prisma.sql`"createdAt" < ${timeParam(f.to)}`);
  if (f.node) where.push(await subtreeCondition(db, f.node));
  return { where, agent: f.agent };
}

async function subtreeCondition(db: Db, ref: string): Promise<Prisma.Sql> {
  const node = await resolveNodeRef(db, ref).catch((e: unknown) => {
    if (e instanceof AppError && e.status === 404) throw new AppError("validation_failed", `node: ${e.message}`, [{ path: "node", message: e.message }]);
    throw e;
  });
  // idPath is "res_a/res_b/" including the node itself: the subtree is every idPath with this prefix. On SQLite a
  // range on the idPath index (ids contain "_", a LIKE wildcard, and its LIKE is not index-friendly); "/" + 1 is "0".
  const prefix = node.idPath;
  const upper = `${prefix.slice(0, -1)}0`;
  const nodes = sqlite()
    ? Prisma.sql`SELECT "id" FROM "ResourceNode" WHERE "idPath" >= ${prefix} AND "idPath" < ${upper}`
    : Prisma.sql`SELECT "id" FROM "ResourceNode" WHERE "idPath" LIKE ${subtreePattern(prefix)} ESCAPE '\\'`;
  // decisions name their node as "resource_node", changes to the tree (node.create, node.move, ...) as "node"
  const target = Prisma.sql`"targetType" IN ('resource_node', 'node')`;
  if (!sqlite()) return Prisma.sql`${target} AND "targetId" IN (${nodes})`;
  const [{ n }] = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS n FROM (${nodes} LIMIT ${SMALL_SUBTREE + 1}) AS s`;
  return Number(n) <= SMALL_SUBTREE ? Prisma.sql`${target} AND "targetId" IN (${nodes})` : Prisma.sql`${target} AND +"targetId" IN (${nodes})`;
}
