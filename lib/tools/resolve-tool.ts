import type { Tool } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { hasPrefix } from "@/lib/ids";

/** A tool by id (tol_...) or name, or null. */
export async function findTool(db: Db, ref: string): Promise<Tool | null> {
  const r = ref.trim();
  return hasPrefix(r, "tool") ? db.tool.findUnique({ where: { id: r } }) : db.tool.findUnique({ where: { name: r } });
}

/** A tool by id or name, or a 404. */
export async function toolByRef(db: Db, ref: string): Promise<Tool> {
  const tool = await findTool(db, ref);
  if (!tool) throw notFound("Tool");
  return tool;
}
