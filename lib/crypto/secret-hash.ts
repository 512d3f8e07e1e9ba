// Hashing of high-entropy secrets (API keys, later client secrets): HMAC-SHA-256 under a server key. A 256-bit random
// secret needs no password KDF, and a KDF would cap verification at a few dozen per second per core.
import { createHmac, timingSafeEqual } from "node:crypto";
import { deriveKey } from "./master-key";

let key: Buffer | undefined;

export function hashSecret(secret: string): string {
  key ??= deriveKey("secret-hash-v1");
  return createHmac("sha256", key).update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
