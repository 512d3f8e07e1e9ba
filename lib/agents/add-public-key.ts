import { calculateJwkThumbprint, importJWK, type JWK } from "jose";
import type { Actor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { looksLikeSecret, recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { type PublicKeyView, toPublicKeyView } from "./agent-view";
import { agentForNewCredential } from "./load-agent";
import { type AddPublicKeyInput, addPublicKeyInput, type PublicKeyAlg } from "./schemas";

/** Members that only a private or symmetric key has (RFC 7518 section 6): such a JWK is refused, never stored. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

const B64URL = /^[A-Za-z0-9_-]+$/;
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

function b64urlMember(jwk: Record<string, unknown>, name: string, bytes?: number): string {
  const v = jwk[name];
  if (typeof v !== "string" || !B64URL.test(v)) throw invalid(`jwk.${name}`, "must be base64url");
  if (bytes !== undefined && Buffer.from(v, "base64url").length !== bytes) throw invalid(`jwk.${name}`, `must encode ${bytes} bytes`);
  return v;
}

function rsaModulusBits(n: string): number {
  const bytes = Buffer.from(n, "base64url");
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * The public members of an accepted key, and the one algorithm it may sign with. Accepted: EC P-256 (ES256),
 * OKP Ed25519 (EdDSA), RSA of at least 2048 bits (RS256). Refused: anything with private members, symmetric keys
 * (kty oct), `alg: none` and HMAC, and a declared alg that does not fit the key (an RSA key never verifies HS256).
 */
function publicMembers(jwk: Record<string, unknown>, requestedAlg: PublicKeyAlg | undefined): { alg: PublicKeyAlg; members: JWK } {
  const kty = jwk.kty;
  if (typeof kty !== "string") throw invalid("jwk.kty", "is required");
  if (kty === "oct") throw invalid("jwk.kty", "symmetric keys (oct) are not accepted; register a public key");
  const secret = PRIVATE_MEMBERS.filter((m) => m in jwk);
  if (secret.length > 0) throw invalid("jwk", `carries private key material (${secret.join(", ")}); register the public key only`);

  const declared = jwk.alg;
  if (declared !== undefined && typeof declared !== "string") throw invalid("jwk.alg", "must be a string");
  if (typeof declared === "string" && (declared.toLowerCase() === "none" || /^HS/i.test(declared))) {
    throw invalid("jwk.alg", "none and HMAC algorithms are not accepted");
  }
  if (jwk.use !== undefined && jwk.use !== "sig") throw invalid("jwk.use", 'must be "sig"');

  let alg: PublicKeyAlg;
  let members: JWK;
  if (kty === "EC") {
    if (jwk.crv !== "P-256") throw invalid("jwk.crv", "only P-256 EC keys are accepted (ES256)");
    alg = "ES256";
    members = { kty, crv: "P-256", x: b64urlMember(jwk, "x", 32), y: b64urlMember(jwk, "y", 32) };
  } else if (kty === "OKP") {
    if (jwk.crv !== "Ed25519") throw invalid("jwk.crv", "only Ed25519 OKP keys are accepted (EdDSA)");
    alg = "EdDSA";
    members = { kty, crv: "Ed25519", x: b64urlMember(jwk, "x", 32) };
  } else if (kty === "RSA") {
    alg = "RS256";
    const n = b64urlMember(jwk, "n");
    const bits = rsaModulusBits(n);
    if (bits < MIN_RSA_BITS) throw invalid("jwk.n", `RSA keys must have at least ${MIN_RSA_BITS} bits (this one has ${bits})`);
    if (bits > MAX_RSA_BITS) throw invalid("jwk.n", `RSA keys may have at most ${MAX_RSA_BITS} bits`);
    members = { kty, n, e: b64urlMember(jwk, "e") };
  } else {
    throw invalid("jwk.kty", "must be EC (P-256), OKP (Ed25519) or RSA");
  }

  for (const [path, given] of [["alg", requestedAlg], ["jwk.alg", declared]] as const) {
    if (given !== undefined && given !== alg) throw invalid(path, `this ${kty} key signs with ${alg}, not ${String(given)}`);
  }
  return { alg, members };
}

/**
 * Registers a public key an agent signs private_key_jwt client assertions with (RFC 7523). The JWK is given inline
 * and never fetched; it is checked to be a public key of an accepted type, imported once to prove it is a valid
 * key, and stored as canonical JSON of its public members (plus alg and kid). One key is registered once per agent
 * (by its RFC 7638 thumbprint).
 */
export async function addPublicKey(db: Db, agentId: string, input: AddPublicKeyInput, actor: Actor): Promise<PublicKeyView> {
  const data = addPublicKeyInput.parse(input);
  const { alg, members } = publicMembers(data.jwk, data.alg);
  const kid = data.jwk.kid;
  if (kid !== undefined && (typeof kid !== "string" || kid.length === 0 || kid.length > 200)) {
    throw invalid("jwk.kid", "must be a string of 1 to 200 characters");
  }
  // the kid is recorded in the audit trail, which refuses anything shaped like a secret
  if (typeof kid === "string" && looksLikeSecret(kid)) throw invalid("jwk.kid", "looks like a Deputy secret; never put a secret here");
  try {
    await importJWK(members, alg);
  } catch {
    throw invalid("jwk", `is not a valid ${alg} public key`);
  }
  const thumbprint = await calculateJwkThumbprint(members, "sha256");
  const stored = { ...members, alg, ...(kid ? { kid } : {}) };

  try {
    return await inTransaction(db, async (tx) => {
      await agentForNewCredential(tx, agentId);
      const row = await tx.agentPublicKey.create({
        data: { id: newId("agentPublicKey"), agentId, kid: kid ?? null, alg, jwk: canonicalJson(stored), thumbprint },
      });
      await recordAuditEvent(tx, {
        actor,
        action: "agent_key.add",
        target: { type: "agent", id: agentId },
        details: { keyId: row.id, kid: row.kid, alg, thumbprint },
      });
      return toPublicKeyView(row);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", "This key is already registered for this agent");
    throw e;
  }
}
