// What leaves the server about a consent: who gave it to which agent, for which tools, where, until when.
import type { Consent } from "@/generated/sqlite/client";
import type { LoadedAuthz } from "@/lib/authz/load-snapshot";
import { nodePath } from "@/lib/authz/paths";
import type { Risk } from "@/lib/authz/types";

export type ConsentStatus = "active" | "expired" | "revoked";

export type ConsentView = {
  id: string;
  user: { id: string; email: string };
  agent: { id: string; name: string };
  tools: { name: string; risk: Risk | null }[];
  /** the subtree; null: wherever the person may. A deleted node keeps its id, with path null. */
  node: { id: string; path: string | null } | null;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  status: ConsentStatus;
};

export function consentStatus(c: Pick<Consent, "revokedAt" | "expiresAt">, now = new Date()): ConsentStatus {
  if (c.revokedAt) return "revoked";
  return c.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export function toConsentView(
  c: Consent,
  names: { users: Map<string, string>; agents: Map<string, string> },
  loaded: LoadedAuthz,
  now = new Date(),
): ConsentView {
  return {
    id: c.id,
    user: { id: c.userId, email: names.users.get(c.userId) ?? c.userId },
    agent: { id: c.agentId, name: names.agents.get(c.agentId) ?? c.agentId },
    tools: c.scope
      .split(" ")
      .filter(Boolean)
      .map((name) => ({ name, risk: loaded.snapshot.tools.get(name)?.risk ?? null })),
    node: c.nodeId === null ? null : { id: c.nodeId, path: loaded.snapshot.nodes.has(c.nodeId) ? nodePath(loaded.snapshot, c.nodeId) : null },
    expiresAt: c.expiresAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    status: consentStatus(c, now),
  };
}
