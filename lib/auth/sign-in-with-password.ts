import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { attemptFailed, attemptSucceeded, beginAttempt, signInThrottleKeys } from "./throttle";

export type SignedInUser = { id: string; email: string; name: string | null; sessionEpoch: number };

/**
 * Checks an email and password. Returns the user, or null for any failure (unknown email, wrong password, disabled
 * account: one answer, so that none can be told apart). Throws rate_limited while the account or address must wait.
 * Every attempt is audited.
 */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; address: string | null },
  now = new Date(),
): Promise<SignedInUser | null> {
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const keys = signInThrottleKeys(email, input.address);
  const wait = await beginAttempt(db, keys, now);
  if (wait > 0) {
    throw new AppError("rate_limited", `Too many failed sign-ins; try again in ${wait} s`, { retryAfterSeconds: wait }, { "Retry-After": String(wait) });
  }

  const user = await db.user.findUnique({ where: { email } });
  const ok = user?.passwordHash ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
  const reason = !user ? "unknown_email" : !ok ? "wrong_password" : user.disabledAt ? "disabled" : null;

  if (reason || !user) {
    await inTransaction(db, async (tx) => {
      await attemptFailed(tx, keys, now);
      await recordAuditEvent(tx, {
        actor: user ? { type: "user", id: user.id, label: user.email } : { type: "system", id: "anonymous", label: email },
        action: "auth.sign_in",
        result: "failure",
        details: { method: "password", reason },
        ip: input.address,
      });
    });
    return null;
  }

  await inTransaction(db, async (tx) => {
    await attemptSucceeded(tx, keys);
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    await recordAuditEvent(tx, {
      actor: { type: "user", id: user.id, label: user.email },
      action: "auth.sign_in",
      details: { method: "password" },
      ip: input.address,
    });
  });
  return { id: user.id, email: user.email, name: user.name, sessionEpoch: user.sessionEpoch };
}
