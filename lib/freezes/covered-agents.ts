// Which agents a subtree freeze covers: every agent holding a grant that reaches any node of the subtree, i.e. a
// grant on the node, on anything below it, or on one of its ancestors (an agent granted on the organization can act
// in the subtree as much as one granted inside it). Revoked and expired grants reach nothing.
import type { ResourceNode } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { ancestorIdsOf } from "@/lib/resources/paths";

export async function agentsReaching(db: Db, node: Pick<ResourceNode, "idPath">, now: Date): Promise<string[]> {
  const rows = await db.grant.findMany({
    where: {
      principalType: "agent",
      revokedAt: null,
      AND: [
        { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        // idPath is "res_a/res_b/": a prefix match is the subtree (ids are fixed-length, so no other node shares it)
        { OR: [{ nodeId: { in: ancestorIdsOf(node.idPath) } }, { node: { idPath: { startsWith: node.idPath } } }] },
      ],
    },
    select: { principalId: true },
    distinct: ["principalId"],
  });
  return rows.map((r) => r.principalId);
}

/** Runs `fn` over `ids` in chunks small enough for either database's limit on bound parameters. */
export async function inChunks<T>(ids: string[], fn: (chunk: string[]) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(await fn(ids.slice(i, i + 500)));
  return out;
}
