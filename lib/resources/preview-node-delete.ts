// The dry run of deleting a node: every node of its subtree and every grant on any of them (principal, role or tool,
// node path, status), with counts and the digest a cascade delete must quote to go ahead (lib/resources/delete-node).
import type { Grant } from "@/generated/sqlite/client";
import type { PrincipalType } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";
import { grantStatus, toGrantViews, withRelations } from "@/lib/grants/grant-view";
import type { GrantStatus } from "@/lib/grants/schemas";
import { idsOfPath, subtreePattern } from "./paths";
import { resolveNodeRef } from "./resolve-node-ref";
import { type DeletePreviewQuery, deletePreviewQuery } from "./schemas";
import { subtreeDigest } from "./subtree-digest";
import { pathOf } from "./tree-rules";

export type DeletePreviewNode = { id: string; type: string; name: string; path: string; depth: number };

export type DeletePreviewGrant = {
  id: string;
  principal: { type: PrincipalType; id: string; label: string };
  role: { id: string; name: string } | null;
  tool: { id: string; name: string } | null;
  node: { id: string; path: string };
  status: GrantStatus;
};

export type DeletePreview = {
  node: { id: string; type: string; name: string; path: string };
  /** the node itself and every descendant */
  nodeCount: number;
  /** every grant on them, revoked ones included (their rows go too) */
  grantCount: number;
  grantsByStatus: Record<GrantStatus, number>;
  /** false when a plain delete would do: no children, and no grant on the node that is not revoked */
  cascadeRequired: boolean;
  /** tree order (a parent before its children, siblings by name); at most `limit` */
  nodes: DeletePreviewNode[];
  /** grants in force first, then by node in tree order; at most `limit` */
  grants: DeletePreviewGrant[];
  /** quote it as `digest` on the cascade delete: a subtree that changed since is refused with 409 */
  digest: string;
};

const CHUNK = 5000;
const STATUS_ORDER: Record<GrantStatus, number> = { active: 0, scheduled: 1, expired: 2, revoked: 3 };

export async function previewNodeDelete(db: Db, ref: string, input: DeletePreviewQuery = {}, now = new Date()): Promise<DeletePreview> {
  const { limit } = deletePreviewQuery.parse(input);
  const root = await resolveNodeRef(db, ref);
  const rootPath = await pathOf(db, root);
  const rows = await db.$queryRaw<{ id: string; type: string; name: string; idPath: string; depth: unknown }[]>`
    SELECT "id", "type", "name", "idPath", "depth" FROM "ResourceNode" WHERE "idPath" LIKE ${subtreePattern(root.idPath)} ESCAPE '\\'`;

  // paths from the rows themselves: each node's names below the root, after the root's own path
  const nameOf = new Map(rows.map((r) => [r.id, r.name]));
  const segmentsOf = (idPath: string) => idsOfPath(idPath).slice(root.depth + 1).map((id) => nameOf.get(id) ?? "?");
  const nodes = rows.map((r) => ({ id: r.id, type: r.type, name: r.name, depth: Number(r.depth), segments: segmentsOf(r.idPath) }));
  nodes.sort((a, b) => compareSegments(a.segments, b.segments) || (a.id < b.id ? -1 : 1));
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const pathById = new Map(nodes.map((n) => [n.id, [rootPath, ...n.segments].join("/")]));

  const grants: Grant[] = [];
  const ids = nodes.map((n) => n.id);
  for (let i = 0; i < ids.length; i += CHUNK) grants.push(...(await db.grant.findMany({ where: { nodeId: { in: ids.slice(i, i + CHUNK) } } })));
  const statusOf = new Map(grants.map((g) => [g.id, grantStatus(g, now)]));
  grants.sort(
    (a, b) =>
      STATUS_ORDER[statusOf.get(a.id)!] - STATUS_ORDER[statusOf.get(b.id)!] || order.get(a.nodeId)! - order.get(b.nodeId)! || (a.id < b.id ? -1 : 1),
  );
  const grantsByStatus: Record<GrantStatus, number> = { active: 0, scheduled: 0, expired: 0, revoked: 0 };
  for (const s of statusOf.values()) grantsByStatus[s]++;

  const shown = grants.slice(0, limit);
  const views = await toGrantViews(db, await withRelations(db, shown), now);
  const unrevokedOnRoot = grants.some((g) => g.nodeId === root.id && !g.revokedAt);

  return {
    node: { id: root.id, type: root.type, name: root.name, path: rootPath },
    nodeCount: nodes.length,
    grantCount: grants.length,
    grantsByStatus,
    cascadeRequired: nodes.length > 1 || unrevokedOnRoot,
    nodes: nodes.slice(0, limit).map((n) => ({ id: n.id, type: n.type, name: n.name, path: pathById.get(n.id)!, depth: n.depth })),
    grants: views.map((v) => ({
      id: v.id,
      principal: v.principal,
      role: v.role,
      tool: v.tool,
      node: { id: v.node.id, path: pathById.get(v.node.id) ?? v.node.path },
      status: v.status,
    })),
    digest: subtreeDigest(ids, grants.map((g) => g.id)),
  };
}

function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}
