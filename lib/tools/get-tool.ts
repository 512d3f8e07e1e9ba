import type { Db } from "@/lib/db/client";
import { toolByRef } from "./resolve-tool";
import { loadToolView, type ToolDetailView } from "./tool-view";

/** One tool by id or name, with its roles and how many grants of it alone are not revoked. Throws 404. */
export async function getTool(db: Db, ref: string): Promise<ToolDetailView> {
  const tool = await toolByRef(db, ref);
  const view = await loadToolView(db, tool);
  const grantCount = await db.grant.count({ where: { toolId: tool.id, revokedAt: null } });
  return { ...view, grantCount };
}
