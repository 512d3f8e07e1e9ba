// Authorization codes (RFC 6749 4.1.2): `dpc_` + 256 random bits, stored only as a keyed hash.
//
// The schema has no column for the RFC 8707 `resource` the agent asked for at /oauth/authorize, so the code carries
// it: `dpc_<random>.<base64url(resource)>`. It cannot be altered: the row is found by the keyed hash of the whole
// code, so a code with another resource is simply an unknown code.
import { createHash, timingSafeEqual } from "node:crypto";
import { newSecret } from "@/lib/crypto/random";

const CODE_PATTERN = /^dpc_[A-Za-z0-9_-]{43}(\.[A-Za-z0-9_-]{1,2800})?$/;

export function newAuthorizationCode(resource: string | null): string {
  const random = newSecret("dpc");
  return resource === null ? random : `${random}.${Buffer.from(resource, "utf8").toString("base64url")}`;
}

/** Whether text has the shape of one of our codes (checked before any lookup). */
export function isAuthorizationCodeShaped(code: string): boolean {
  return CODE_PATTERN.test(code);
}

/** The resource a code was issued for, or null: only meaningful for a code that was found by its hash. */
export function resourceOfCode(code: string): string | null {
  const dot = code.indexOf(".");
  return dot === -1 ? null : Buffer.from(code.slice(dot + 1), "base64url").toString("utf8");
}

/** RFC 7636 4.6: BASE64URL(SHA256(verifier)) == challenge, compared in constant time. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
