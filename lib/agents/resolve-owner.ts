// An agent's owner is a user, named by id (usr_...) or email. Only an existing, enabled user can own an agent: an
// agent must always have a person who answers for it.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { hasPrefix } from "@/lib/ids";

function invalidOwner(message: string): AppError {
  return new AppError("validation_failed", `owner: ${message}`, [{ path: "owner", message }]);
}

export async function resolveOwner(db: Db, ref: string): Promise<{ id: string; email: string }> {
  const user = hasPrefix(ref, "user")
    ? await db.user.findUnique({ where: { id: ref } })
    : await db.user.findUnique({ where: { email: ref.trim().toLowerCase() } });
  if (!user) throw invalidOwner(`no user ${ref}`);
  if (user.disabledAt) throw invalidOwner(`${user.email} is disabled; an agent's owner must be an active user`);
  return { id: user.id, email: user.email };
}
