// Deputy's token signing keys: ES256, generated on first use, private halves sealed at rest (lib/crypto/seal.ts).
// Each process keeps the keys it has unsealed in memory; the active key is re-read at most every few seconds, so a
// rotation on another instance is picked up quickly, and an unknown kid is always looked up at once.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, webcrypto } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { seal, unseal } from "@/lib/crypto/seal";
import type { Db } from "@/lib/db/client";

export const SIGNING_ALG = "ES256";
const SEAL_PURPOSE = "signing-key-v1";
const ACTIVE_KEY_REFRESH_MS = 5_000;

/** signingKey: the private key as a WebCrypto key, imported once (jose would convert a KeyObject on every sign). */
export type SigningKeyPair = { kid: string; privateKey: KeyObject; signingKey: CryptoKey; publicKey: KeyObject; publicJwk: JWK };

/** Verification keys by kid, with the end of their publication (null while active: re-read when it retires). */
type Published = { key: KeyObject; until: Date | null; checkedAt: number };
type Cache = { active?: { key: SigningKeyPair; loadedAt: number }; byKid: Map<string, Published> };
const g = globalThis as unknown as { __deputySigningKeys?: Cache };
const cache: Cache = (g.__deputySigningKeys ??= { byKid: new Map() });

/** Makes a new key pair and its sealed record; the caller stores it. */
export async function generateSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk: JWK = { ...jwk, kid, alg: SIGNING_ALG, use: "sig" };
  return {
    record: {
      kid,
      alg: SIGNING_ALG,
      publicJwk: canonicalJson(publicJwk),
      privateKeyEnc: seal(privateKey.export({ format: "der", type: "pkcs8" }), SEAL_PURPOSE, kid),
    },
  };
}

async function toPair(row: { kid: string; publicJwk: string; privateKeyEnc: string }): Promise<SigningKeyPair> {
  const der = unseal(row.privateKeyEnc, SEAL_PURPOSE, row.kid);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const signingKey = await webcrypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  return { kid: row.kid, privateKey, signingKey, publicKey: createPublicKey(privateKey), publicJwk: JSON.parse(row.publicJwk) as JWK };
}

/** The key that signs new tokens: the newest active one, created on first use. */
export async function activeSigningKey(db: Db, now = Date.now()): Promise<SigningKeyPair> {
  if (cache.active && now - cache.active.loadedAt < ACTIVE_KEY_REFRESH_MS) return cache.active.key;
  let row = await db.signingKey.findFirst({ where: { status: "active" }, orderBy: { createdAt: "desc" } });
  if (!row) {
    // first start: two instances racing here both create a key; both are published and the newest signs
    const { record } = await generateSigningKey();
    row = await db.signingKey.create({ data: { ...record, status: "active" } });
  }
  const key = cache.active?.key.kid === row.kid ? cache.active.key : await toPair(row);
  cache.active = { key, loadedAt: now };
  return key;
}

/** The public key for a kid, if it is one of ours and still published. */
export async function verificationKey(db: Db, kid: string, now = new Date()): Promise<KeyObject | null> {
  const cached = cache.byKid.get(kid);
  if (cached && cached.until !== null) return cached.until > now ? cached.key : null;
  if (cached && now.getTime() - cached.checkedAt < ACTIVE_KEY_REFRESH_MS) return cached.key;
  const row = await db.signingKey.findUnique({ where: { kid } });
  if (!row || (row.status !== "active" && !(row.publishUntil && row.publishUntil > now))) return null;
  const key = cached?.key ?? createPublicKey({ key: JSON.parse(row.publicJwk) as JWK & { kty: string }, format: "jwk" });
  cache.byKid.set(kid, { key, until: row.status === "active" ? null : row.publishUntil, checkedAt: now.getTime() });
  return key;
}

/** Forget what this process holds (after a rotation here, and in tests). */
export function clearSigningKeyCache(): void {
  cache.active = undefined;
  cache.byKid.clear();
}

/** The JWKS: the active keys and every retired key whose tokens may still be alive. */
export async function publishedKeys(db: Db, now = new Date()): Promise<{ keys: JWK[] }> {
  await activeSigningKey(db, now.getTime()); // a fresh install publishes a key before it has signed anything
  const rows = await db.signingKey.findMany({
    where: { OR: [{ status: "active" }, { status: "retired", publishUntil: { gt: now } }] },
    orderBy: { createdAt: "desc" },
  });
  return { keys: rows.map((r) => JSON.parse(r.publicJwk) as JWK) };
}
