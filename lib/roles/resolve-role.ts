import type { Role } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { hasPrefix } from "@/lib/ids";

/**
 * A role by id (rol_...) or name, or null. Names match in any case ("editor" is Editor): role names are unique
 * regardless of case (assertRoleNameFree), so at most one matches. Roles are few; they are compared here, the same
 * way on both databases.
 */
export async function findRole(db: Db, ref: string): Promise<Role | null> {
  const r = ref.trim();
  if (hasPrefix(r, "role")) return db.role.findUnique({ where: { id: r } });
  const exact = await db.role.findUnique({ where: { name: r } });
  if (exact) return exact;
  const all = await db.role.findMany({ select: { id: true, name: true } });
  const match = all.find((x) => x.name.toLowerCase() === r.toLowerCase());
  return match ? db.role.findUnique({ where: { id: match.id } }) : null;
}

export async function roleByRef(db: Db, ref: string): Promise<Role> {
  const role = await findRole(db, ref);
  if (!role) throw notFound("Role");
  return role;
}

/** Refuses a name another role has, in any case. */
export async function assertRoleNameFree(db: Db, name: string, exceptId?: string): Promise<void> {
  const all = await db.role.findMany({ select: { id: true, name: true } });
  const taken = all.find((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
  if (taken) throw new AppError("conflict", `A role named ${taken.name} already exists`);
}

/** Tool ids for names or ids; unknown ones are a 400 that names them. */
export async function toolIdsOf(db: Db, refs: string[]): Promise<{ id: string; name: string }[]> {
  if (refs.length === 0) return [];
  const rows = await db.tool.findMany({ where: { OR: [{ id: { in: refs } }, { name: { in: refs } }] }, select: { id: true, name: true } });
  const unknown = refs.filter((ref) => !rows.some((t) => t.id === ref || t.name === ref));
  if (unknown.length > 0) {
    const message = `no tool ${unknown.join(", ")}`;
    throw new AppError("validation_failed", `tools: ${message}`, [{ path: "tools", message }]);
  }
  return rows;
}
