import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type ApiKeyView, toApiKeyView } from "./api-key-view";

/** Revokes a key at once. The conditional update makes two racing revocations record one event. */
export async function revokeApiKey(db: Db, id: string, actor: Actor): Promise<ApiKeyView> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    const key = await tx.apiKey.findUnique({ where: { id } });
    if (!key) throw notFound("API key");
    if (count === 0) throw new AppError("conflict", "This API key is already revoked");
    await recordAuditEvent(tx, { actor, action: "api_key.revoke", target: { type: "api_key", id }, details: { name: key.name } });
    return toApiKeyView(key);
  });
}
