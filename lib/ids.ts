// Prefixed, time-ordered ids: `usr_01hx...`. The prefix says what an id names (and lets scanners find them); the
// 48-bit millisecond time first keeps ids roughly insertion-ordered for keyset paging; 80 random bits follow.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

export const ID_PREFIXES = {
  user: "usr",
  apiKey: "key",
  auditEvent: "evt",
  agent: "agt",
  clientSecret: "sec",
  agentPublicKey: "ajk",
  token: "tok",
  resourceNode: "res",
  tool: "tol",
  role: "rol",
  grant: "grt",
  resourceServer: "rsv",
  resourceServerSecret: "rss",
  decision: "dcs",
  approval: "apr",
  webhook: "whk",
  webhookDelivery: "whd",
  drill: "drl",
  freeze: "frz",
  alert: "alr",
  consent: "cns",
  initialAccessToken: "iat",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

function encode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

// Ids are made on every hot path (each audit event is one), and a randomBytes() call per id costs more than the rest
// of the id: so random bytes are drawn 4 KiB at a time and handed out 10 at a time, each byte once (as Node does for
// randomUUID). Ids name things; they are not secrets, which take their own randomBytes().
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomPart(): Buffer {
  if (poolOffset + 10 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
}

export function newId(kind: IdKind, now = Date.now()): string {
  const bytes = new Uint8Array(16);
  let t = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes.set(randomPart(), 6);
  return `${ID_PREFIXES[kind]}_${encode(bytes)}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}
