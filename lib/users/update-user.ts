import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type UpdateUserInput, updateUserInput } from "./schemas";
import { toUserView, type UserView } from "./user-view";

/**
 * Changes a user's name, role or disabled state.
 * Invariants: an admin cannot disable or demote themselves, and the last active admin cannot be disabled or demoted,
 * so the console can never be left without an admin. Disabling bumps the session epoch: existing sessions end.
 */
export async function updateUser(db: Db, id: string, input: UpdateUserInput, actor: Actor): Promise<UserView> {
  const patch = updateUserInput.parse(input);
  return inTransaction(db, async (tx) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) throw notFound("User");

    const losesAdmin =
      before.role === "admin" &&
      !before.disabledAt &&
      ((patch.role !== undefined && patch.role !== "admin") || patch.disabled === true);
    if (losesAdmin && actor.type === "user" && actor.id === id) {
      throw new AppError("conflict", "You cannot disable or demote your own account; ask another admin");
    }
    if (losesAdmin) {
      // Two admins demoting each other at once must not both pass the count below: writing one shared row first
      // takes a row lock that serialises every such transaction (PostgreSQL; SQLite serialises writers anyway).
      await tx.setting.upsert({
        where: { key: "lock:last-admin" },
        create: { key: "lock:last-admin", value: "{}" },
        update: { value: "{}" },
      });
      const otherAdmins = await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: id } } });
      if (otherAdmins === 0) throw new AppError("conflict", "This is the last active admin; promote another user first");
    }

    const disabling = patch.disabled === true && !before.disabledAt;
    const enabling = patch.disabled === false && before.disabledAt !== null;
    const after = await tx.user.update({
      where: { id },
      data: {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(disabling ? { disabledAt: new Date(), sessionEpoch: { increment: 1 } } : {}),
        ...(enabling ? { disabledAt: null } : {}),
      },
    });

    const target = { type: "user", id };
    if (patch.role !== undefined && patch.role !== before.role) {
      await recordAuditEvent(tx, { actor, action: "user.change_role", target, details: { from: before.role, to: after.role } });
    }
    if (patch.name !== undefined && patch.name !== before.name) {
      await recordAuditEvent(tx, { actor, action: "user.rename", target, details: { from: before.name, to: after.name } });
    }
    if (disabling) await recordAuditEvent(tx, { actor, action: "user.disable", target, details: { email: after.email } });
    if (enabling) await recordAuditEvent(tx, { actor, action: "user.enable", target, details: { email: after.email } });
    return toUserView(after);
  });
}
