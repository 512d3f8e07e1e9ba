// First run: a first admin and a small demo world, only into an empty database. Running it again over existing
// data changes nothing, so `npm run demo` can be run any number of times.
import { systemActor } from "@/lib/audit/actor";
import type { Db } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";

export type SeedResult =
  | { seeded: false; users: number }
  | { seeded: true; admin: { email: string; password: string | null }; demoUsers: { email: string; role: string; password: string }[] };

const DEMO_USERS = [
  { email: "approver@deputy.local", name: "Avery Approver", role: "approver" },
  { email: "auditor@deputy.local", name: "Aditi Auditor", role: "auditor" },
  { email: "viewer@deputy.local", name: "Victor Viewer", role: "viewer" },
] as const;

export async function seedFirstRun(
  db: Db,
  opts: { adminEmail?: string; adminPassword?: string; demo?: boolean },
): Promise<SeedResult> {
  const users = await db.user.count();
  if (users > 0) return { seeded: false, users };
  const actor = systemActor("seed", "first-run seed");
  const admin = await createUser(
    db,
    { email: opts.adminEmail ?? "admin@deputy.local", name: "Admin", role: "admin", password: opts.adminPassword },
    actor,
  );
  const demoUsers = [];
  if (opts.demo !== false) {
    for (const u of DEMO_USERS) {
      const { generatedPassword } = await createUser(db, u, actor);
      demoUsers.push({ email: u.email, role: u.role, password: generatedPassword! });
    }
  }
  return { seeded: true, admin: { email: admin.user.email, password: admin.generatedPassword }, demoUsers };
}
