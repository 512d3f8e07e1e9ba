// Factories for integration tests. The database is shared by every test file of a run, so everything made here is
// unique (random email, name, address) and nothing assumes an empty table. Data is made through the real use cases,
// so each row is what the application itself would have written.
import { randomBytes } from "node:crypto";
import { systemActor, type Actor } from "@/lib/audit/actor";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import type { ConsoleRole } from "@/lib/auth/roles";
import { type Db, getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";

export const testActor: Actor = systemActor("test");

/** A short random tag, lower case (emails are stored lower case). */
export function uniqueTag(): string {
  return randomBytes(6).toString("hex");
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${uniqueTag()}@test.deputy.local`;
}

/** An address nobody else uses, so per-address throttling of one test never touches another. */
export function uniqueAddress(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export const TEST_PASSWORD = "correct horse battery staple";

export async function makeUser(
  opts: { role?: ConsoleRole; password?: string; disabled?: boolean; email?: string } = {},
  db: Db = getDb(),
) {
  const password = opts.password ?? TEST_PASSWORD;
  const { user } = await createUser(db, { email: opts.email ?? uniqueEmail(opts.role ?? "viewer"), role: opts.role ?? "viewer", password }, testActor);
  if (opts.disabled) await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  return { user: row, password, actor: { type: "user", id: row.id, label: row.email } satisfies Actor };
}

export async function makeApiKey(name = `test key ${uniqueTag()}`, db: Db = getDb()) {
  return createApiKey(db, { name }, testActor);
}
