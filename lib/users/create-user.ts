import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { hashPassword } from "@/lib/auth/password";
import { newPassword } from "@/lib/crypto/random";
import { type Db, inTransaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { type CreateUserInput, createUserInput } from "./schemas";
import { toUserView, type UserView } from "./user-view";

/** Creates a console user. Without a password, one is generated and returned here, once: hand it over. */
export async function createUser(
  db: Db,
  input: CreateUserInput,
  actor: Actor,
): Promise<{ user: UserView; generatedPassword: string | null }> {
  const data = createUserInput.parse(input);
  const generatedPassword = data.password ? null : newPassword();
  const passwordHash = await hashPassword(data.password ?? generatedPassword!);
  try {
    const user = await inTransaction(db, async (tx) => {
      const created = await tx.user.create({
        data: { id: newId("user"), email: data.email, name: data.name ?? null, role: data.role, passwordHash },
      });
      await recordAuditEvent(tx, {
        actor,
        action: "user.create",
        target: { type: "user", id: created.id },
        details: { email: created.email, role: created.role },
      });
      return created;
    });
    return { user: toUserView(user), generatedPassword };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `A user with email ${data.email} already exists`);
    throw e;
  }
}
