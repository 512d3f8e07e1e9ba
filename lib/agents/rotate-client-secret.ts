import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { changeCredentials } from "./credential-cache";
import { type SecretView, toSecretView } from "./agent-view";
import { issueClientSecret } from "./issue-client-secret";
import { agentForNewCredential } from "./load-agent";
import { type RotateClientSecretInput, rotateClientSecretInput } from "./schemas";

const HOUR_MS = 3_600_000;

/**
 * Rotates an agent's client secrets: issues a new one (returned here, once) and puts every other active secret into
 * its grace period: it is marked rotated and keeps working until `now + graceHours` (0: it stops now).
 *
 * Invariant: rotation never extends a secret's lifetime. A replaced secret's expiry becomes the earlier of its own
 * expiry and the end of the grace period, never later.
 *
 * Each replaced secret is updated conditionally (still unrevoked and not yet rotated), so two racing rotations
 * cannot both rotate the same secret, and the audit event lists exactly the secrets this rotation cut short.
 */
export async function rotateClientSecret(
  db: Db,
  agentId: string,
  input: RotateClientSecretInput,
  actor: Actor,
  now = new Date(),
): Promise<{ secret: SecretView; clientSecret: string; graceEndsAt: string; rotatedSecretIds: string[] }> {
  const { graceHours, expiresInDays } = rotateClientSecretInput.parse(input);
  const graceEndsAt = new Date(now.getTime() + graceHours * HOUR_MS);
  return changeCredentials(db, async (tx) => {
    await agentForNewCredential(tx, agentId);
    const replaced = await tx.clientSecret.findMany({
      where: { agentId, revokedAt: null, rotatedAt: null, expiresAt: { gt: now } },
      select: { id: true, expiresAt: true },
      orderBy: { createdAt: "asc" },
    });
    const { row, clientSecret } = await issueClientSecret(tx, agentId, expiresInDays, now);

    const rotatedSecretIds: string[] = [];
    for (const s of replaced) {
      const expiresAt = s.expiresAt < graceEndsAt ? s.expiresAt : graceEndsAt;
      const { count } = await tx.clientSecret.updateMany({
        where: { id: s.id, revokedAt: null, rotatedAt: null },
        data: { rotatedAt: now, expiresAt },
      });
      if (count === 1) rotatedSecretIds.push(s.id);
    }

    await recordAuditEvent(
      tx,
      {
        actor,
        action: "client_secret.rotate",
        target: { type: "agent", id: agentId },
        details: { newSecretId: row.id, last4: row.last4, graceEndsAt: graceEndsAt.toISOString(), rotatedSecretIds },
      },
      now,
    );
    return { secret: toSecretView(row, now), clientSecret, graceEndsAt: graceEndsAt.toISOString(), rotatedSecretIds };
  });
}
