import { randomBytes } from "node:crypto";

/** A prefixed 256-bit random secret, e.g. `dpk_…` (the prefix lets secret scanners find leaked ones). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** A random password a person can type: 20 characters, about 119 bits. */
export function newPassword(): string {
  return randomBytes(15).toString("base64url");
}
