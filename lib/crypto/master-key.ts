// The master key: the root of every server-side key (secret hashing, session signing, and later the encryption of
// signing keys at rest). From DEPUTY_MASTER_KEY, or a key file created once with mode 0600 under DEPUTY_DATA_DIR.
// Several instances sharing one database must share one master key (set DEPUTY_MASTER_KEY on each).
import { hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

const g = globalThis as unknown as { __deputyMasterKey?: Buffer };

export function masterKeyPath(): string {
  return path.resolve(env().DEPUTY_DATA_DIR, "master.key");
}

function loadOrCreate(): Buffer {
  const fromEnv = env().DEPUTY_MASTER_KEY;
  if (fromEnv) return Buffer.from(fromEnv, "base64");
  const file = masterKeyPath();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // "wx": two processes starting at once cannot both create it; the loser reads the winner's key
    fs.writeFileSync(file, randomBytes(32).toString("base64") + "\n", { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}

export function masterKey(): Buffer {
  return (g.__deputyMasterKey ??= loadOrCreate());
}

/** A 32-byte key for one purpose, derived with HKDF so that no two uses share key material. */
export function deriveKey(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey(), Buffer.alloc(0), `deputy:${purpose}`, 32));
}
