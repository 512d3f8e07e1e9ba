// Who holds what on a node: the console's node panel. Every grant that reaches the node (on it, or inherited from an
// ancestor), except revoked ones, with the node it is on and its status now.
import type { Db } from "@/lib/db/client";
import { type GrantView, principalKeyOf, principalLabels, toGrantViews, withRelations } from "@/lib/grants/grant-view";
import { idsOfPath } from "./paths";
import { resolveNodeRef } from "./resolve-node-ref";
import { type AccessQuery, accessQuery } from "./schemas";
import { pathOf } from "./tree-rules";

export type AccessEntry = GrantView & {
  /** true when the grant is on an ancestor (grant.node says which) */
  inherited: boolean;
  /** the tool names it covers: the role's tools, or the one tool */
  tools: string[];
};

/** `entries`: the first `limit`, in order; `total`: how many reach the node in all. */
export type NodeAccess = { node: { id: string; path: string }; entries: AccessEntry[]; total: number };

/**
 * Grants on the node and its ancestors (a grant applies to its node and everything below it), nearest node first,
 * then by principal. Expired and scheduled grants are listed with their status: the panel shows them as such.
 * A node near the root of a large tree can be reached by thousands of grants: all are ordered from a slim read (ids
 * and principals' names), and only the first `limit` are read whole.
 */
export async function accessAt(db: Db, ref: string, query: AccessQuery = {}, now = new Date()): Promise<NodeAccess> {
  const { limit } = accessQuery.parse(query);
  const node = await resolveNodeRef(db, ref);
  const chain = idsOfPath(node.idPath);
  const depthOf = new Map(chain.map((id, i) => [id, i]));
  const slim = await db.grant.findMany({ where: { nodeId: { in: chain }, revokedAt: null }, select: { id: true, nodeId: true, principalType: true, principalId: true } });
  const labels = await principalLabels(db, slim.map((g) => ({ type: g.principalType, id: g.principalId })));
  // each grant's sort key once, not in every comparison
  const keyed = slim.map((g) => ({ id: g.id, depth: depthOf.get(g.nodeId)!, label: labels.get(principalKeyOf(g.principalType, g.principalId)) ?? g.principalId }));
  keyed.sort((a, b) => b.depth - a.depth || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : 1));
  const page = keyed.slice(0, limit).map((g) => g.id);
  const order = new Map(page.map((id, i) => [id, i]));
  const full = await db.grant.findMany({ where: { id: { in: page } } });
  full.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const rows = await withRelations(db, full);
  const views = await toGrantViews(db, rows, now);
  const roleIds = [...new Set(rows.map((r) => r.roleId).filter((id): id is string => id !== null))];
  const links = roleIds.length ? await db.roleTool.findMany({ where: { roleId: { in: roleIds } }, select: { roleId: true, tool: { select: { name: true } } } }) : [];
  const toolsOf = (roleId: string) => links.filter((l) => l.roleId === roleId).map((l) => l.tool.name).sort();
  const entries = views.map((v, i): AccessEntry => {
    const row = rows[i]!;
    const tools = row.roleId ? toolsOf(row.roleId) : row.tool ? [row.tool.name] : [];
    return { ...v, inherited: v.node.id !== node.id, tools };
  });
  return { node: { id: node.id, path: await pathOf(db, node) }, entries, total: slim.length };
}
