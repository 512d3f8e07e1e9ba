// The limits of initial access tokens for dynamic client registration (RFC 7591), in one place.

/** `dpi_` + 256 random bits, base64url: the prefix lets secret scanners find a leaked one. */
export const INITIAL_ACCESS_TOKEN_PREFIX = "dpi";
export const INITIAL_ACCESS_TOKEN_PATTERN = /^dpi_[A-Za-z0-9_-]{43}$/;

/** An initial access token registers one client, within a day unless issued for longer (at most 30 days). */
export const DEFAULT_INITIAL_ACCESS_TOKEN_TTL_HOURS = 24;
export const MAX_INITIAL_ACCESS_TOKEN_TTL_HOURS = 24 * 30;

/** What one registration may carry. */
export const MAX_REDIRECT_URIS = 10;
export const MAX_REGISTERED_KEYS = 5;
