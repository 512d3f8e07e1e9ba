// What a cascade delete takes: the ids of a subtree's nodes and of every grant on them (revoked ones too: their rows
// go with the nodes). The preview hands out a digest of both sets; the delete recomputes it inside its transaction
// and refuses when it differs, so a cascade never takes a node or grant the admin was not shown.
import { createHash } from "node:crypto";
import type { ResourceNode } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { subtreePattern } from "./paths";

/** Order-independent: both id sets are sorted first. */
export function subtreeDigest(nodeIds: readonly string[], grantIds: readonly string[]): string {
  const h = createHash("sha256");
  h.update(`nodes:${[...nodeIds].sort().join(",")}\n`);
  h.update(`grants:${[...grantIds].sort().join(",")}\n`);
  return `sha256:${h.digest("hex")}`;
}

/** Ids of every grant (any status) on the node or below it, sorted. */
export async function subtreeGrantIds(db: Db, node: Pick<ResourceNode, "idPath">): Promise<string[]> {
  const pattern = subtreePattern(node.idPath);
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Grant"
    WHERE "nodeId" IN (SELECT "id" FROM "ResourceNode" WHERE "idPath" LIKE ${pattern} ESCAPE '\\') ORDER BY "id"`;
  return rows.map((r) => r.id);
}
