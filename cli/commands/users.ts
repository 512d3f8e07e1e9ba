import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { createUser } from "@/lib/users/create-user";
import { listUsers } from "@/lib/users/list-users";
import { setUserPassword } from "@/lib/users/set-user-password";
import { updateUser } from "@/lib/users/update-user";
import { type Output, print, table, UsageError } from "../output";

type Flags = Record<string, string | boolean | undefined>;

async function userIdByEmail(db: DbClient, email: string): Promise<string> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw notFound(`User ${email}`);
  return user.id;
}

function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || !v) throw new UsageError(`--${name} is required`);
  return v;
}

export async function userCommand(db: DbClient, sub: string | undefined, flags: Flags, actor: Actor, o: Output) {
  switch (sub) {
    case "create": {
      const r = await createUser(
        db,
        {
          email: need(flags, "email"),
          role: ((flags.role as string | undefined) ?? "viewer") as never, // validated by createUserInput
          name: flags.name as string | undefined,
          password: flags.password as string | undefined,
        },
        actor,
      );
      return print(o, r, () =>
        [`created ${r.user.email} (${r.user.id}) as ${r.user.role}`, r.generatedPassword ? `temporary password (shown once): ${r.generatedPassword}` : ""]
          .filter(Boolean)
          .join("\n"),
      );
    }
    case "list": {
      const users = await listUsers(db);
      return print(o, users, () => table(users, ["id", "email", "role", "status", "lastSignInAt"]));
    }
    case "set-role": {
      const user = await updateUser(db, await userIdByEmail(db, need(flags, "email")), { role: need(flags, "role") as never }, actor);
      return print(o, user, `${user.email} is now ${user.role}`);
    }
    case "disable":
    case "enable": {
      const user = await updateUser(db, await userIdByEmail(db, need(flags, "email")), { disabled: sub === "disable" }, actor);
      return print(o, user, `${user.email} is ${user.status}`);
    }
    case "reset-password": {
      const r = await setUserPassword(db, await userIdByEmail(db, need(flags, "email")), flags.password as string | undefined, actor);
      return print(o, r, r.generatedPassword ? `new password (shown once): ${r.generatedPassword}` : "password set");
    }
    default:
      throw new UsageError(`unknown user command: ${sub ?? "(none)"}`);
  }
}
