import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { hashPassword } from "@/lib/auth/password";
import { newPassword } from "@/lib/crypto/random";
import { type Db, inTransaction } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { passwordSchema } from "./schemas";

/** Sets (or, without one, generates and returns once) a user's password. Their existing sessions end. */
export async function setUserPassword(db: Db, id: string, password: string | undefined, actor: Actor) {
  const generated = password === undefined ? newPassword() : null;
  const passwordHash = await hashPassword(password === undefined ? generated! : passwordSchema.parse(password));
  await inTransaction(db, async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id }, data: { passwordHash, sessionEpoch: { increment: 1 } } });
    if (count === 0) throw notFound("User");
    await recordAuditEvent(tx, { actor, action: "user.set_password", target: { type: "user", id } });
  });
  return { generatedPassword: generated };
}
