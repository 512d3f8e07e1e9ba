// The limits of agents and their credentials, in one place.

/** Tokens live 10 minutes unless the agent's setting says otherwise, and never more than an hour. */
export const DEFAULT_TOKEN_TTL_SECONDS = 600;
export const MAX_TOKEN_TTL_SECONDS = 3600;
export const MIN_TOKEN_TTL_SECONDS = 60;

/** Client secrets expire after 90 days unless created with another lifetime (at most a year). */
export const DEFAULT_SECRET_TTL_DAYS = 90;
export const MAX_SECRET_TTL_DAYS = 365;

/** On rotation the old secret keeps working this long (settable per rotation, never past its own expiry). */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;
export const MAX_ROTATION_GRACE_HOURS = 24 * 30;

/** An agent whose oldest active secret is older than this is "rotation due". */
export const ROTATION_POLICY_DAYS = 90;
/** ... or when one of its active secrets expires within this many days. */
export const ROTATION_WARNING_DAYS = 14;

/** Client secrets: `dps_` + 256 random bits, base64url. */
export const CLIENT_SECRET_PREFIX = "dps";
export const CLIENT_SECRET_PATTERN = /^dps_[A-Za-z0-9_-]{43}$/;

export const AGENT_KINDS = ["autonomous", "on_behalf_of"] as const;
// pending: registered itself through /oauth/register (RFC 7591) and gets no token until an admin activates it
export const AGENT_STATUSES = ["active", "suspended", "killed", "pending"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Tool names as scopes: dotted lower-case words, e.g. github.push, payments.refund. */
export const SCOPE_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;

/** An agent's page shows this many of its most recent tokens (from the audit trail). */
export const RECENT_TOKENS = 20;
