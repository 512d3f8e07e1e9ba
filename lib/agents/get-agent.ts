import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import {
  type AgentDetailView,
  type IssuedTokenView,
  statsFromSecrets,
  toAgentView,
  toPublicKeyView,
  toSecretView,
} from "./agent-view";
import { RECENT_TOKENS } from "./limits";
import { withOwner } from "./load-agent";

/** `exp` as the token endpoint records it (seconds since the epoch), or an ISO string. */
function expiryOf(exp: unknown): string | null {
  if (typeof exp === "number" && Number.isFinite(exp)) return new Date(exp * 1000).toISOString();
  if (typeof exp === "string" && !Number.isNaN(Date.parse(exp))) return new Date(exp).toISOString();
  return null;
}

const text = (v: unknown): string | null => (typeof v === "string" ? v : Array.isArray(v) ? v.join(" ") : null);

/**
 * One agent with its credentials (secrets newest first, public keys) and the last tokens it was issued, read from the
 * `token.issue` audit events the token endpoint writes (details: jti, scope, aud, exp). Throws 404.
 */
export async function getAgent(db: Db, id: string, now = new Date()): Promise<AgentDetailView> {
  const agent = await db.agent.findUnique({
    where: { id },
    include: {
      ...withOwner,
      secrets: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
      publicKeys: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    },
  });
  if (!agent) throw notFound("Agent");
  const events = await db.auditEvent.findMany({
    where: { targetId: id, action: "token.issue" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: RECENT_TOKENS,
  });
  const recentTokens = events.map((e): IssuedTokenView => {
    const d = JSON.parse(e.details) as Record<string, unknown>;
    return { eventId: e.id, jti: text(d.jti), scope: text(d.scope), aud: text(d.aud), issuedAt: e.createdAt.toISOString(), expiresAt: expiryOf(d.exp) };
  });
  return {
    ...toAgentView(agent, statsFromSecrets(agent.secrets, now), now),
    secrets: agent.secrets.map((s) => toSecretView(s, now)),
    publicKeys: agent.publicKeys.map(toPublicKeyView),
    recentTokens,
  };
}
