// What the consent screen shows for an authorization request, and what a person can delegate.
//
// Invariant: a person delegates only tools they hold themselves in the consented subtree (a grant on the subtree's
// node or above it, or on a node inside it). Decisions intersect the person's and the agent's grants at every call
// anyway; this keeps the consent itself honest, and tells the person up front what the agent will not get.
import type { LoadedAuthz } from "@/lib/authz/load-snapshot";
import { ancestors, nodePath } from "@/lib/authz/paths";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import type { Risk } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";
import type { AuthorizationRequest } from "./authorization-request";
import { CONSENT_DURATION_CHOICES, MAX_NODE_CHOICES } from "./limits";

export type ConsentScreen = {
  agent: { id: string; name: string; ownerEmail: string };
  tools: { name: string; risk: Risk; held: boolean }[];
  /** the requested subtree; null: wherever the person may */
  node: { id: string; path: string } | null;
  /** the requested node (or the roots) and nodes below it, to narrow to */
  nodeChoices: { id: string; path: string }[];
  durationSeconds: number;
  durationChoices: number[];
  resource: string | null;
};

/** Whether the user holds `tool` somewhere in the subtree of `nodeId` (anywhere, when null), now. */
export function userHoldsTool(loaded: LoadedAuthz, userId: string, tool: string, nodeId: string | null, now: Date): boolean {
  const grants = loaded.snapshot.grantsByPrincipal.get(`user:${userId}`) ?? [];
  const chain = nodeId === null ? [] : ancestors(loaded.snapshot, nodeId);
  return grants.some(
    (g) =>
      g.tools.has(tool) &&
      (g.expiresAt === null || g.expiresAt > now.getTime()) &&
      (nodeId === null || chain.includes(g.nodeId) || ancestors(loaded.snapshot, g.nodeId).includes(nodeId)),
  );
}

/** Whether `nodeId` is `top` or below it (anything is, when top is null). */
export function isWithin(loaded: LoadedAuthz, nodeId: string, top: string | null): boolean {
  return top === null || ancestors(loaded.snapshot, nodeId).includes(top);
}

function nodeChoices(loaded: LoadedAuthz, top: string | null): { id: string; path: string }[] {
  const out: { id: string; path: string }[] = [];
  const queue = top === null ? [""] : [top];
  if (top !== null) out.push({ id: top, path: nodePath(loaded.snapshot, top) });
  // breadth first: a huge subtree offers its upper levels, which is where narrowing usually happens
  while (queue.length > 0 && out.length < MAX_NODE_CHOICES) {
    const parent = queue.shift()!;
    for (const named of loaded.children.get(parent)?.values() ?? []) {
      for (const n of named) {
        if (out.length >= MAX_NODE_CHOICES) break;
        out.push({ id: n.id, path: nodePath(loaded.snapshot, n.id) });
        queue.push(n.id);
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function durationChoices(requested: number): number[] {
  return [...new Set([...CONSENT_DURATION_CHOICES.filter((d) => d < requested), requested])].sort((a, b) => a - b);
}

export async function describeConsent(db: Db, request: AuthorizationRequest, userId: string, now = new Date()): Promise<ConsentScreen> {
  const loaded = await currentAuthz(db, now.getTime());
  return {
    agent: { id: request.agent.id, name: request.agent.name, ownerEmail: request.agent.ownerEmail },
    tools: request.tools.map((name) => ({
      name,
      risk: loaded.snapshot.tools.get(name)?.risk ?? "irreversible",
      held: userHoldsTool(loaded, userId, name, request.nodeId, now),
    })),
    node: request.nodeId === null ? null : { id: request.nodeId, path: nodePath(loaded.snapshot, request.nodeId) },
    nodeChoices: nodeChoices(loaded, request.nodeId),
    durationSeconds: request.durationSeconds,
    durationChoices: durationChoices(request.durationSeconds),
    resource: request.resource,
  };
}
