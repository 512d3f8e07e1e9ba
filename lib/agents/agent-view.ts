// What leaves the server about an agent and its credentials: never a secret's hash, never the token epoch. A client
// secret itself appears only in the response of the call that created it (create-agent, create-client-secret,
// rotate-client-secret), never in a view.
import type { Agent, AgentPublicKey, ClientSecret, User } from "@/generated/sqlite/client";
import { ROTATION_POLICY_DAYS, ROTATION_WARNING_DAYS, type AgentKind, type AgentStatus } from "./limits";

export type AgentView = {
  id: string;
  /** the OAuth client_id: the agent's id */
  clientId: string;
  name: string;
  description: string | null;
  owner: { id: string; email: string };
  kind: AgentKind;
  status: AgentStatus;
  tokenTtlSeconds: number;
  allowedScopes: string[];
  canIntrospect: boolean;
  /** where the authorization code flow may return a person (on-behalf-of agents) */
  redirectUris: string[];
  createdAt: string;
  updatedAt: string;
  lastSeenAt: string | null;
  /** when the kill switch was last pulled on it (kept after a restore: tokens from before stay dead) */
  killedAt: string | null;
  /** its oldest active secret is older than the rotation policy, or one expires soon (isRotationDue) */
  rotationDue: boolean;
  /** secrets that work and are not on their way out: not revoked, not expired, not rotated */
  activeSecrets: number;
};

export type SecretStatus = "active" | "expired" | "revoked" | "grace";

export type SecretView = {
  id: string;
  last4: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  rotatedAt: string | null;
  /** grace: rotated, still working until expiresAt */
  status: SecretStatus;
};

export type PublicKeyView = {
  id: string;
  kid: string | null;
  alg: string;
  thumbprint: string;
  createdAt: string;
  revokedAt: string | null;
};

/** One token the agent got, from the token endpoint's `token.issue` audit event. */
export type IssuedTokenView = {
  eventId: string;
  jti: string | null;
  scope: string | null;
  aud: string | null;
  issuedAt: string;
  expiresAt: string | null;
};

export type AgentDetailView = AgentView & {
  secrets: SecretView[];
  publicKeys: PublicKeyView[];
  recentTokens: IssuedTokenView[];
};

/** What rotationDue and activeSecrets are computed from: the agent's active secrets (see activeSecretWhere). */
export type ActiveSecretStats = { count: number; oldestCreatedAt: Date | null; soonestExpiresAt: Date | null };

/** The secrets that count as active: not revoked, not rotated, not expired at `now`. */
export function activeSecretWhere(now: Date) {
  return { revokedAt: null, rotatedAt: null, expiresAt: { gt: now } };
}

/**
 * Rotation is due when the oldest active secret is older than the rotation policy, or when an active secret expires
 * within ROTATION_WARNING_DAYS: with the default 90-day secrets and 90-day policy, the warning comes before the
 * secret stops working, not at the same moment.
 */
export function isRotationDue(stats: ActiveSecretStats, now: Date): boolean {
  const day = 86_400_000;
  const old = stats.oldestCreatedAt !== null && now.getTime() - stats.oldestCreatedAt.getTime() > ROTATION_POLICY_DAYS * day;
  const expiring = stats.soonestExpiresAt !== null && stats.soonestExpiresAt.getTime() - now.getTime() < ROTATION_WARNING_DAYS * day;
  return old || expiring;
}

export function parseScopes(stored: string): string[] {
  return stored.split(" ").filter(Boolean);
}

export function toAgentView(a: Agent & { owner: Pick<User, "id" | "email"> }, stats: ActiveSecretStats, now = new Date()): AgentView {
  return {
    id: a.id,
    clientId: a.id,
    name: a.name,
    description: a.description,
    owner: { id: a.owner.id, email: a.owner.email },
    kind: a.kind as AgentKind,
    status: a.status as AgentStatus,
    tokenTtlSeconds: a.tokenTtlSeconds,
    allowedScopes: parseScopes(a.allowedScopes),
    canIntrospect: a.canIntrospect,
    redirectUris: a.redirectUris.split(" ").filter(Boolean),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    lastSeenAt: a.lastSeenAt?.toISOString() ?? null,
    killedAt: a.killedAt?.toISOString() ?? null,
    rotationDue: isRotationDue(stats, now),
    activeSecrets: stats.count,
  };
}

export function secretStatus(s: Pick<ClientSecret, "revokedAt" | "rotatedAt" | "expiresAt">, now = new Date()): SecretStatus {
  if (s.revokedAt) return "revoked";
  if (s.expiresAt.getTime() <= now.getTime()) return "expired";
  return s.rotatedAt ? "grace" : "active";
}

export function toSecretView(s: ClientSecret, now = new Date()): SecretView {
  return {
    id: s.id,
    last4: s.last4,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
    revokedAt: s.revokedAt?.toISOString() ?? null,
    rotatedAt: s.rotatedAt?.toISOString() ?? null,
    status: secretStatus(s, now),
  };
}

export function toPublicKeyView(k: AgentPublicKey): PublicKeyView {
  return {
    id: k.id,
    kid: k.kid,
    alg: k.alg,
    thumbprint: k.thumbprint,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** Active-secret stats of one agent, from its secret rows (for the single-agent use cases). */
export function statsFromSecrets(secrets: Pick<ClientSecret, "revokedAt" | "rotatedAt" | "expiresAt" | "createdAt">[], now = new Date()): ActiveSecretStats {
  const active = secrets.filter((s) => secretStatus(s, now) === "active");
  const min = (dates: Date[]) => dates.reduce<Date | null>((m, d) => (m === null || d < m ? d : m), null);
  return { count: active.length, oldestCreatedAt: min(active.map((s) => s.createdAt)), soonestExpiresAt: min(active.map((s) => s.expiresAt)) };
}
