import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { changeCredentials } from "@/lib/agents/credential-cache";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { issueResourceServerSecret } from "./issue-resource-server-secret";
import { type ResourceServerSecretView, toRsSecretView } from "./resource-server-view";
import { type RotateResourceServerSecretInput, rotateResourceServerSecretInput } from "./schemas";

const HOUR_MS = 3_600_000;

/**
 * Issues a new secret (returned here, once) and cuts every other working secret short: it keeps working until
 * `now + graceHours` (24 by default; 0 ends it now), so the server can be redeployed with the new one.
 *
 * Invariant: rotation never extends a secret's lifetime. A replaced secret's expiry becomes the earlier of its own
 * expiry and the end of the grace period; secrets already ending sooner are left alone (and not listed). Each cut is
 * a conditional update, so two racing rotations cannot both cut the same secret.
 */
export async function rotateResourceServerSecret(
  db: Db,
  id: string,
  input: RotateResourceServerSecretInput,
  actor: Actor,
  now = new Date(),
): Promise<{ secret: string; secretInfo: ResourceServerSecretView; graceEndsAt: string; rotatedSecretIds: string[] }> {
  const { graceHours, expiresInDays } = rotateResourceServerSecretInput.parse(input);
  const graceEndsAt = new Date(now.getTime() + graceHours * HOUR_MS);
  return changeCredentials(db, async (tx) => {
    const server = await tx.resourceServer.findUnique({ where: { id }, select: { id: true } });
    if (!server) throw notFound("Resource server");
    const replaced = await tx.resourceServerSecret.findMany({
      where: { resourceServerId: id, revokedAt: null, expiresAt: { gt: graceEndsAt } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    const { row, secret } = await issueResourceServerSecret(tx, id, expiresInDays, now);
    const rotatedSecretIds: string[] = [];
    for (const s of replaced) {
      const { count } = await tx.resourceServerSecret.updateMany({
        where: { id: s.id, revokedAt: null, expiresAt: { gt: graceEndsAt } },
        data: { expiresAt: graceEndsAt },
      });
      if (count === 1) rotatedSecretIds.push(s.id);
    }
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "resource_server.rotate_secret",
        target: { type: "resource_server", id },
        details: { newSecretId: row.id, last4: row.last4, graceEndsAt: graceEndsAt.toISOString(), rotatedSecretIds },
      },
      now,
    );
    return { secret, secretInfo: toRsSecretView(row, now), graceEndsAt: graceEndsAt.toISOString(), rotatedSecretIds };
  });
}
