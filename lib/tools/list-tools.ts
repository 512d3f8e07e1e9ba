import type { Prisma } from "@/generated/sqlite/client";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/text-search";
import { riskSchema } from "./schemas";
import { rolesOfTools, toToolView, type ToolView } from "./tool-view";

export const listToolsQuery = z.object({
  /** part of the name */
  q: z.string().trim().max(100).optional(),
  risk: riskSchema.optional(),
});
export type ListToolsQuery = z.input<typeof listToolsQuery>;

/** The catalog, by name. Catalogs hold tens to a few thousand tools: one page. */
export async function listTools(db: Db, input: ListToolsQuery = {}): Promise<ToolView[]> {
  const q = listToolsQuery.parse(input);
  const where: Prisma.ToolWhereInput = { ...(q.q ? { name: containsInsensitive(q.q) } : {}), ...(q.risk ? { risk: q.risk } : {}) };
  const rows = await db.tool.findMany({ where, orderBy: { name: "asc" } });
  const roles = await rolesOfTools(db, rows.map((t) => t.id));
  return rows.map((t) => toToolView(t, roles.get(t.id) ?? []));
}
