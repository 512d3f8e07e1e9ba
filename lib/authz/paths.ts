// Walking the resource tree inside a snapshot: the ancestor chain of a node, and its human path ("acme/prod").
//
// Invariant: every walk terminates, even over a corrupt snapshot (a parent cycle, a dangling parentId). A walk stops
// at the first node it has already visited, at an unknown parent, or after nodes.size steps, whichever comes first.
// A dangling parent ends the chain where the known part of the tree ends: nothing above it can be granted anything.

import type { AuthzSnapshot } from "./types";

const SHORT_CHAIN = 32;

/**
 * The ancestor chain of a node: the node itself first, then its parent, ... up to the root. Empty when the node is
 * unknown. A grant on any id of this list applies to the node (a grant reaches down, never sideways or upwards).
 */
export function ancestors(snapshot: Pick<AuthzSnapshot, "nodes">, nodeId: string): string[] {
  const nodes = snapshot.nodes;
  const chain: string[] = [];
  const limit = nodes.size;
  // Trees are a few levels deep: a linear scan of the chain so far is cheaper than hashing into a Set. Past
  // SHORT_CHAIN levels (unusual, or corrupt) a Set takes over so that a long chain stays linear, not quadratic.
  let seen: Set<string> | null = null;
  let id: string | null = nodeId;
  while (id !== null && chain.length < limit) {
    const node = nodes.get(id);
    if (node === undefined) break;
    // a cycle: the bound above alone would stop too, but only after nodes.size repeated steps
    if (seen === null ? chain.includes(id) : seen.has(id)) break;
    chain.push(id);
    if (seen !== null) seen.add(id);
    else if (chain.length === SHORT_CHAIN) seen = new Set(chain);
    id = node.parentId;
  }
  return chain;
}

/** The node's names from the root down, joined by "/": "acme/platform/api". An unknown node has the path "". */
export function nodePath(snapshot: Pick<AuthzSnapshot, "nodes">, nodeId: string): string {
  return pathsAlong(snapshot, ancestors(snapshot, nodeId))[0] ?? "";
}

/**
 * The path of every node of an ancestor chain (as `ancestors` returns it), index for index: paths[i] is the path of
 * chain[i]. Built once from the root down, so that naming the node and each of its ancestors costs one walk.
 */
export function pathsAlong(snapshot: Pick<AuthzSnapshot, "nodes">, chain: readonly string[]): string[] {
  const paths = new Array<string>(chain.length);
  let path = "";
  for (let i = chain.length - 1; i >= 0; i--) {
    const name = snapshot.nodes.get(chain[i])?.name ?? chain[i];
    path = path === "" ? name : `${path}/${name}`;
    paths[i] = path;
  }
  return paths;
}
