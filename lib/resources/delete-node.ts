import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz, type GrantRef } from "@/lib/grants/authz-version";
import { subtreePattern } from "./paths";
import { resolveNodeRef } from "./resolve-node-ref";
import { type DeleteNodeInput, deleteNodeInput } from "./schemas";
import { subtreeDigest, subtreeGrantIds } from "./subtree-digest";
import { pathOf, subtreeOf } from "./tree-rules";

/** Past this many nodes or grants, a cascade makes instances reload rather than patch. */
const PATCHABLE = 5_000;

export type DeleteNodeResult = { id: string; path: string; nodeCount: number; grantCount: number; nodeIds: string[]; grantIds: string[] };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Deletes a node. Without `cascade` it is refused while the node has children or grants that are not revoked
 * (revoked grants grant nothing; their rows go with the node, their history stays in the audit trail). With
 * `cascade` the whole subtree goes, with every grant on it, and the one node.delete event lists what went. A cascade
 * that quotes the `digest` of a preview (previewNodeDelete) takes exactly what that preview listed, or nothing: the
 * digest is recomputed here, where changeAuthz holds every other tree and grant change off until commit.
 *
 * Rows go deepest level first: the parent link is ON DELETE RESTRICT, which both databases check row by row.
 */
export async function deleteNode(db: Db, ref: string, input: DeleteNodeInput, actor: Actor, now = new Date()): Promise<DeleteNodeResult> {
  const { cascade, digest } = deleteNodeInput.parse(input);
  if (digest && !cascade) {
    throw new AppError("validation_failed", "digest: is only for a cascade delete", [{ path: "digest", message: "is only for a cascade delete" }]);
  }
  return changeAuthz(db, async (tx, note) => {
    const node = await resolveNodeRef(tx, ref);
    const path = await pathOf(tx, node);
    let nodeIds: string[];
    let grantIds: string[];
    if (!cascade) {
      const children = await tx.resourceNode.count({ where: { parentId: node.id } });
      const grants = await tx.grant.count({ where: { nodeId: node.id, revokedAt: null } });
      if (children > 0 || grants > 0) {
        const what = [children > 0 ? plural(children, "child", "children") : null, grants > 0 ? plural(grants, "grant", "grants") : null];
        throw new AppError(
          "conflict",
          `Cannot delete ${path}: it has ${what.filter(Boolean).join(" and ")}; delete with cascade to remove the subtree and its grants`,
        );
      }
      grantIds = (await tx.grant.findMany({ where: { nodeId: node.id }, select: { id: true }, orderBy: { id: "asc" } })).map((g) => g.id);
      // only revoked grants remain here: none is in any snapshot
      note.nodes([node.id]);
      await tx.grant.deleteMany({ where: { nodeId: node.id } });
      await tx.resourceNode.delete({ where: { id: node.id } });
      nodeIds = [node.id];
    } else {
      const subtree = await subtreeOf(tx, node);
      const pattern = subtreePattern(node.idPath);
      grantIds = await subtreeGrantIds(tx, node);
      if (digest && digest !== subtreeDigest(subtree.map((n) => n.id), grantIds)) {
        throw new AppError(
          "conflict",
          `${path} changed since the preview: it now has ${plural(subtree.length, "node", "nodes")} and ${plural(grantIds.length, "grant", "grants")}; preview the delete again`,
        );
      }
      // instances patch a subtree of ordinary size in; a huge one (says nothing, so) reloads
      if (grantIds.length <= PATCHABLE && subtree.length <= PATCHABLE) {
        const refs: GrantRef[] = [];
        for (let i = 0; i < grantIds.length; i += 500) {
          refs.push(...(await tx.grant.findMany({ where: { id: { in: grantIds.slice(i, i + 500) } }, select: { id: true, principalType: true, principalId: true } })));
        }
        note.grants(refs);
        note.nodes(subtree.map((n) => n.id));
      }
      await tx.$executeRaw`DELETE FROM "Grant" WHERE "nodeId" IN (SELECT "id" FROM "ResourceNode" WHERE "idPath" LIKE ${pattern} ESCAPE '\\')`;
      // a loop, not Math.max(...): a spread of 100,000 depths overflows the call stack
      const deepest = subtree.reduce((max, n) => Math.max(max, n.depth), node.depth);
      for (let depth = deepest; depth >= node.depth; depth--) {
        await tx.$executeRaw`DELETE FROM "ResourceNode" WHERE "idPath" LIKE ${pattern} ESCAPE '\\' AND "depth" = CAST(${depth} AS INTEGER)`;
      }
      nodeIds = subtree.map((n) => n.id);
    }
    const result = { id: node.id, path, nodeCount: nodeIds.length, grantCount: grantIds.length, nodeIds, grantIds };
    await recordAuditEvent(
      tx,
      { actor, action: "node.delete", target: { type: "node", id: node.id }, details: { name: node.name, type: node.type, cascade, ...(digest ? { digest } : {}), ...result } },
      now,
    );
    return result;
  });
}
