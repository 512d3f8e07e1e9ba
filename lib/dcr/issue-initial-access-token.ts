import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { resolveOwner } from "@/lib/agents/resolve-owner";
import { newSecret } from "@/lib/crypto/random";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { type InitialAccessTokenView, toInitialAccessTokenViews } from "./initial-access-token-view";
import { INITIAL_ACCESS_TOKEN_PREFIX } from "./limits";
import { type IssueInitialAccessTokenInput, issueInitialAccessTokenInput } from "./schemas";

const HOUR_MS = 3_600_000;

/**
 * Issues an initial access token that lets one client register itself at /oauth/register (RFC 7591 section 3).
 * The token is returned here and never again: only its keyed hash is stored. It registers one client, before it
 * expires, and the agent it creates is pending until an admin activates it; its owner is the token's owner
 * (`createdById`): the issuing user, or the owner named when an API key or the CLI issues it.
 */
export async function issueInitialAccessToken(
  db: Db,
  input: IssueInitialAccessTokenInput,
  actor: Actor,
  now = new Date(),
): Promise<{ initialAccessToken: InitialAccessTokenView; token: string }> {
  const data = issueInitialAccessTokenInput.parse(input);
  const ownerRef = data.owner ?? (actor.type === "user" ? actor.id : null);
  if (!ownerRef) {
    throw new AppError("validation_failed", "owner: is required when an API key or the CLI issues the token", [
      { path: "owner", message: "is required when an API key or the CLI issues the token" },
    ]);
  }
  const token = newSecret(INITIAL_ACCESS_TOKEN_PREFIX);
  return inTransaction(db, async (tx) => {
    const owner = await resolveOwner(tx, ownerRef);
    const row = await tx.initialAccessToken.create({
      data: {
        id: newId("initialAccessToken", now.getTime()),
        hash: hashSecret(token),
        last4: token.slice(-4),
        createdById: owner.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + data.expiresInHours * HOUR_MS),
      },
    });
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "initial_access_token.create",
        target: { type: "initial_access_token", id: row.id },
        details: { last4: row.last4, ownerId: owner.id, expiresAt: row.expiresAt.toISOString() },
      },
      now,
    );
    const [view] = await toInitialAccessTokenViews(tx, [row], now);
    return { initialAccessToken: view!, token };
  });
}
