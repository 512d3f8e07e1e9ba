// The limits of consents and authorization codes, in one place.

/** An authorization code is good for one redemption within this many seconds (RFC 6749 4.1.2: "short-lived"). */
export const CODE_TTL_SECONDS = 60;

/** How long a consent lasts when the agent asks for no duration, the longest it may ask for, and the shortest. */
export const DEFAULT_CONSENT_SECONDS = 3600;
export const MAX_CONSENT_SECONDS = 30 * 86_400;
export const MIN_CONSENT_SECONDS = 60;

/** The durations the consent screen offers to shorten to (each at most what was asked for). */
export const CONSENT_DURATION_CHOICES = [900, 3600, 8 * 3600, 86_400, 7 * 86_400, 30 * 86_400];

/** The consent screen lists at most this many nodes of the requested subtree to narrow to. */
export const MAX_NODE_CHOICES = 200;

/** RFC 7636 4.1: a code verifier is 43 to 128 unreserved characters. */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;
/** base64url(SHA-256(verifier)) without padding: always 43 characters. */
export const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
