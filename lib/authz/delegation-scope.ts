// Where a delegated token may act: its RFC 9396 authorization_details of type deputy_resource (a subtree, its tools,
// an optional expiry). Grants say what each principal may do; these say where this one token may be used, so that a
// person who consented to "repo X, read" does not lend the agent the rest of what they hold.
//
// Invariant: a token that carries at least one deputy_resource detail acts only on a node that is one of those
// details' nodes or below it, only with that detail's tools, and only before that detail's expiry. A token without
// any (an agent's own client_credentials token) is bounded by its scope and the grants alone.
// Pure and in memory: the node's ancestor chain comes from the loaded snapshot, never from a query.
import type { AccessTokenClaims, ResourceDetail } from "@/lib/oauth/access-token";
import { resolveInSnapshot, type LoadedAuthz } from "./load-snapshot";
import { ancestors, nodePath } from "./paths";

export const RESOURCE_DETAIL_TYPE = "deputy_resource";

/** The token's deputy_resource details; empty when it carries none (then it is not limited to a subtree). */
export function resourceDetailsOf(claims: Pick<AccessTokenClaims, "authorization_details">): ResourceDetail[] {
  const details: unknown = claims.authorization_details;
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is ResourceDetail =>
      typeof d === "object" && d !== null && (d as { type?: unknown }).type === RESOURCE_DETAIL_TYPE && typeof (d as { node?: unknown }).node === "string",
  );
}

/** A detail's node as a snapshot node id (details name an id; a path is accepted too), or null when it is gone. */
export function detailNodeId(loaded: LoadedAuthz, detail: ResourceDetail): string | null {
  return resolveInSnapshot(loaded, detail.node);
}

/** Whether `nodeId` is `ancestorId` or below it. */
export function isWithin(loaded: LoadedAuthz, nodeId: string, ancestorId: string): boolean {
  return ancestors(loaded.snapshot, nodeId).includes(ancestorId);
}

/**
 * May this token use `tool` on `nodeId` at `nowMs`, as far as its own delegation goes? `ok: false` carries a sentence
 * naming the subtree(s) the token is limited to.
 */
export function checkDelegationScope(
  loaded: LoadedAuthz,
  claims: Pick<AccessTokenClaims, "authorization_details">,
  tool: string,
  nodeId: string,
  nowMs: number,
): { ok: true } | { ok: false; message: string } {
  const details = resourceDetailsOf(claims);
  if (details.length === 0) return { ok: true };
  const chain = ancestors(loaded.snapshot, nodeId);
  let inside = false;
  let toolListed = false;
  for (const d of details) {
    const root = detailNodeId(loaded, d);
    if (root === null || !chain.includes(root)) continue;
    inside = true;
    if (!Array.isArray(d.tools) || !d.tools.includes(tool)) continue;
    toolListed = true;
    if (d.expiry === undefined || nowMs < d.expiry * 1000) return { ok: true };
  }
  const where = nodePath(loaded.snapshot, nodeId) || nodeId;
  const subtrees = details.map((d) => {
    const id = detailNodeId(loaded, d);
    return id ? nodePath(loaded.snapshot, id) : d.node;
  });
  const limited = `the token is delegated for ${[...new Set(subtrees)].join(", ")} only`;
  if (!inside) return { ok: false, message: `${where} is outside the token's delegation: ${limited}` };
  if (!toolListed) return { ok: false, message: `The token's delegation for ${where} does not include ${tool}` };
  return { ok: false, message: `The token's delegation for ${tool} on ${where} has expired` };
}
