import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { newSecret } from "@/lib/crypto/random";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { type Db, inTransaction } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { API_KEY_PREFIX } from "./format";
import { type ApiKeyView, toApiKeyView } from "./api-key-view";

export const createApiKeyInput = z.object({ name: z.string().trim().min(1, "is required").max(100) });

/** Creates an admin API key. The key is returned here and never again: only its keyed hash is stored. */
export async function createApiKey(
  db: Db,
  input: z.input<typeof createApiKeyInput>,
  actor: Actor,
): Promise<{ apiKey: ApiKeyView; key: string }> {
  const { name } = createApiKeyInput.parse(input);
  const key = newSecret(API_KEY_PREFIX);
  const row = await inTransaction(db, async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id: newId("apiKey"),
        name,
        hash: hashSecret(key),
        last4: key.slice(-4),
        createdById: actor.type === "user" ? actor.id : null,
      },
    });
    await recordAuditEvent(tx, { actor, action: "api_key.create", target: { type: "api_key", id: created.id }, details: { name } });
    return created;
  });
  return { apiKey: toApiKeyView(row), key };
}
