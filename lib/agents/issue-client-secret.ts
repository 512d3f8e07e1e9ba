// Makes one client secret for an agent, inside the caller's transaction. The secret is returned to the caller to be
// shown once; only its keyed hash (HMAC-SHA-256, lib/crypto/secret-hash.ts) and last four characters are stored.
import type { Prisma } from "@/generated/sqlite/client";
import { newSecret } from "@/lib/crypto/random";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { newId } from "@/lib/ids";
import { CLIENT_SECRET_PREFIX } from "./limits";

const DAY_MS = 86_400_000;

export async function issueClientSecret(tx: Prisma.TransactionClient, agentId: string, expiresInDays: number, now: Date) {
  const clientSecret = newSecret(CLIENT_SECRET_PREFIX);
  const row = await tx.clientSecret.create({
    data: {
      id: newId("clientSecret", now.getTime()),
      agentId,
      hash: hashSecret(clientSecret),
      last4: clientSecret.slice(-4),
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresInDays * DAY_MS),
    },
  });
  return { row, clientSecret };
}
