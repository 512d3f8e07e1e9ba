// Makes one resource server secret inside the caller's transaction. The secret goes back to the caller to be shown
// once; only its keyed hash (HMAC-SHA-256, lib/crypto/secret-hash.ts) and last four characters are stored.
import type { Db } from "@/lib/db/client";
import { newSecret } from "@/lib/crypto/random";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { newId } from "@/lib/ids";
import { RESOURCE_SERVER_SECRET_PREFIX } from "./format";

const DAY_MS = 86_400_000;

export async function issueResourceServerSecret(tx: Db, resourceServerId: string, expiresInDays: number, now: Date) {
  const secret = newSecret(RESOURCE_SERVER_SECRET_PREFIX);
  const row = await tx.resourceServerSecret.create({
    data: {
      id: newId("resourceServerSecret", now.getTime()),
      resourceServerId,
      hash: hashSecret(secret),
      last4: secret.slice(-4),
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresInDays * DAY_MS),
    },
  });
  return { row, secret };
}
