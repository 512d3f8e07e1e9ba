/** Admin API keys: `dpk_` + 256 random bits in base64url (43 characters). */
export const API_KEY_PREFIX = "dpk";
export const API_KEY_PATTERN = /^dpk_[A-Za-z0-9_-]{43}$/;
