import type { Db } from "@/lib/db/client";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { type NodeTypeView, toNodeTypeView } from "./node-type-view";

/** Every node type, built-in ones first, then by name. */
export async function listNodeTypes(db: Db): Promise<NodeTypeView[]> {
  await ensureAuthzBuiltIns(db);
  const rows = await db.nodeType.findMany({ orderBy: [{ builtIn: "desc" }, { name: "asc" }] });
  return rows.map(toNodeTypeView);
}
