// Who holds what on a node: the console's node panel. Every grant that reaches the node (on it, or inherited from an
// ancestor), except revoked ones, with the node it is on and its status now.
import type { Db } from "@/lib/db/client";
import { type GrantView, toGrantViews, withRelations } from "@/lib/grants/grant-view";
import { idsOfPath } from "./paths";
import { resolveNodeRef } from "./resolve-node-ref";
import { pathOf } from "./tree-rules";

export type AccessEntry = GrantView & {
  /** true when the grant is on an ancestor (grant.node says which) */
  inherited: boolean;
  /** the tool names it covers: the role's tools, or the one tool */
  tools: string[];
};

export type NodeAccess = { node: { id: string; path: string }; entries: AccessEntry[] };

/**
 * Grants on the node and its ancestors (a grant applies to its node and everything below it), nearest node first,
 * then by principal. Expired and scheduled grants are listed with their status: the panel shows them as such.
 */
export async function accessAt(db: Db, ref: string, now = new Date()): Promise<NodeAccess> {
  const node = await resolveNodeRef(db, ref);
  const chain = idsOfPath(node.idPath);
  const rows = await withRelations(db, await db.grant.findMany({ where: { nodeId: { in: chain }, revokedAt: null } }));
  const views = await toGrantViews(db, rows, now);
  const roleIds = [...new Set(rows.map((r) => r.roleId).filter((id): id is string => id !== null))];
  const links = roleIds.length ? await db.roleTool.findMany({ where: { roleId: { in: roleIds } }, select: { roleId: true, tool: { select: { name: true } } } }) : [];
  const toolsOf = (roleId: string) => links.filter((l) => l.roleId === roleId).map((l) => l.tool.name).sort();
  const depthOf = new Map(chain.map((id, i) => [id, i]));
  const entries = views.map((v, i): AccessEntry => {
    const row = rows[i]!;
    const tools = row.roleId ? toolsOf(row.roleId) : row.tool ? [row.tool.name] : [];
    return { ...v, inherited: v.node.id !== node.id, tools };
  });
  entries.sort(
    (a, b) =>
      depthOf.get(b.node.id)! - depthOf.get(a.node.id)! ||
      (a.principal.label < b.principal.label ? -1 : a.principal.label > b.principal.label ? 1 : 0) ||
      (a.id < b.id ? -1 : 1),
  );
  return { node: { id: node.id, path: await pathOf(db, node) }, entries };
}
