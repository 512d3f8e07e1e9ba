import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { listSigningKeys } from "@/lib/keys/list-signing-keys";
import { rotateSigningKey } from "@/lib/keys/rotate-signing-key";
import { type Output, print, table, UsageError } from "../output";

export async function signingKeyCommand(db: DbClient, sub: string | undefined, actor: Actor, o: Output) {
  switch (sub) {
    case "list": {
      const keys = await listSigningKeys(db);
      return print(o, keys, () => table(keys, ["kid", "status", "createdAt", "publishUntil", "published"]));
    }
    case "rotate": {
      const r = await rotateSigningKey(db, actor);
      return print(o, r, `new signing key ${r.kid}; retired ${r.retired.join(", ") || "none"} (published until ${r.publishUntil})`);
    }
    default:
      throw new UsageError(`unknown signing-key command: ${sub ?? "(none)"}`);
  }
}
