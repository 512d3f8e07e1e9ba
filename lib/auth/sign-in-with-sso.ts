import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";

/**
 * Signs in a person the OpenID Connect provider vouched for. Least privilege: only an existing, enabled Deputy user
 * whose verified email matches may enter; SSO never creates accounts or grants roles (an admin invites first).
 */
export async function signInWithSso(db: Db, input: { email: string; emailVerified: boolean; subject: string }, now = new Date()) {
  const email = input.email.trim().toLowerCase();
  const user = email && input.emailVerified ? await db.user.findUnique({ where: { email } }) : null;
  const ok = user && !user.disabledAt;
  await inTransaction(db, async (tx) => {
    if (ok) await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    await recordAuditEvent(tx, {
      actor: user ? { type: "user", id: user.id, label: user.email } : { type: "system", id: "anonymous", label: email || input.subject },
      action: "auth.sign_in",
      result: ok ? "success" : "failure",
      details: { method: "sso", ...(ok ? {} : { reason: !user ? "no_account" : "disabled" }) },
    });
  });
  return ok ? { id: user.id, sessionEpoch: user.sessionEpoch } : null;
}
