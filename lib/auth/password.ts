// Human passwords: scrypt (N=2^15, r=8, p=1: ~40 ms here), parameters stored with each hash so they can be raised.
import { randomBytes, scrypt as scryptCb, type ScryptOptions, timingSafeEqual } from "node:crypto";

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFKC"), salt, keylen, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_BYTES, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

// Stored parameters are data, not trusted code paths: anything outside these bounds is refused, never computed
// (an absurd N would take unbounded memory, an empty key would compare equal to anything).
function validParams(n: number, r: number, p: number): boolean {
  return Number.isInteger(Math.log2(n)) && n >= 2 ** 14 && n <= 2 ** 20 && Number.isInteger(r) && r >= 1 && r <= 16 && Number.isInteger(p) && p >= 1 && p <= 4;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, saltB64, keyB64, ...rest] = stored.split("$");
  if (alg !== "scrypt" || !saltB64 || !keyB64 || rest.length > 0) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(keyB64, "base64");
  const salt = Buffer.from(saltB64, "base64");
  if (expected.length !== KEY_BYTES || salt.length < 16 || !validParams(params.N, params.r, params.p)) return false;
  const actual = await scrypt(password, salt, expected.length, params);
  return timingSafeEqual(actual, expected);
}

// Verifying against this when the account does not exist keeps the response time the same, so timing does not
// reveal which emails have accounts.
let dummy: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, await (dummy ??= hashPassword("not-a-real-password")));
  return false;
}

export const PASSWORD_MIN_LENGTH = 12;
