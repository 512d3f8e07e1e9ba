// Resource server secrets: `dpr_` + 256 random bits in base64url (43 characters). The prefix lets secret scanners
// find leaked ones, and tells them apart from client secrets (dps_) and admin API keys (dpk_).
export const RESOURCE_SERVER_SECRET_PREFIX = "dpr";
export const RESOURCE_SERVER_SECRET_PATTERN = /^dpr_[A-Za-z0-9_-]{43}$/;

/** Secrets last a year unless created with another lifetime (at most two). */
export const DEFAULT_RS_SECRET_TTL_DAYS = 365;
export const MAX_RS_SECRET_TTL_DAYS = 730;

/** On rotation the old secrets keep working this long (settable per rotation, never past their own expiry). */
export const DEFAULT_RS_ROTATION_GRACE_HOURS = 24;
export const MAX_RS_ROTATION_GRACE_HOURS = 24 * 30;

export const RESOURCE_SERVER_STATUSES = ["active", "disabled"] as const;
export type ResourceServerStatus = (typeof RESOURCE_SERVER_STATUSES)[number];
