import { createApiKey } from "@/lib/api-keys/create-api-key";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { type Output, print, table, UsageError } from "../output";

export async function apiKeyCommand(
  db: DbClient,
  sub: string | undefined,
  flags: Record<string, string | boolean | undefined>,
  positionals: string[],
  actor: Actor,
  o: Output,
) {
  switch (sub) {
    case "create": {
      if (typeof flags.name !== "string" || !flags.name) throw new UsageError("--name is required");
      const r = await createApiKey(db, { name: flags.name }, actor);
      // only the key, so that `KEY=$(deputy api-key create --name ci)` works
      return print(o, { id: r.apiKey.id, name: r.apiKey.name, key: r.key }, r.key);
    }
    case "list": {
      const keys = await listApiKeys(db);
      return print(o, keys, () => table(keys, ["id", "name", "last4", "status", "createdAt", "lastUsedAt"]));
    }
    case "revoke": {
      const id = (flags.id as string | undefined) ?? positionals[0];
      if (!id) throw new UsageError("usage: api-key revoke <key id>");
      const key = await revokeApiKey(db, id, actor);
      return print(o, key, `revoked ${key.id} (${key.name})`);
    }
    default:
      throw new UsageError(`unknown api-key command: ${sub ?? "(none)"}`);
  }
}
