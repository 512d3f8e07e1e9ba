// What leaves the server about roles.
import type { Role } from "@/generated/sqlite/client";
import type { Risk } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";

export type RoleView = {
  id: string;
  name: string;
  description: string;
  /** Viewer, Editor, Deployer, Approver: their tools follow tool risks; they cannot be renamed, edited or deleted */
  builtIn: boolean;
  /** by name */
  tools: { id: string; name: string; risk: Risk }[];
  /** grants of this role that are not revoked */
  grantCount: number;
  createdAt: string;
  updatedAt: string;
};

type RoleWithTools = Role & { tools: { tool: { id: string; name: string; risk: string } }[] };

export const roleInclude = { tools: { select: { tool: { select: { id: true, name: true, risk: true } } } } } as const;

export function toRoleView(r: RoleWithTools, grantCount: number): RoleView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    builtIn: r.builtIn,
    tools: r.tools.map((t) => ({ id: t.tool.id, name: t.tool.name, risk: t.tool.risk as Risk })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    grantCount,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Unrevoked grants per role, in one grouped query. */
export async function roleGrantCounts(db: Db, roleIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (roleIds.length === 0) return out;
  const groups = await db.grant.groupBy({ by: ["roleId"], where: { roleId: { in: roleIds }, revokedAt: null }, _count: { _all: true } });
  for (const g of groups) if (g.roleId) out.set(g.roleId, g._count._all);
  return out;
}

export async function loadRoleView(db: Db, id: string): Promise<RoleView> {
  const role = await db.role.findUniqueOrThrow({ where: { id }, include: roleInclude });
  return toRoleView(role, (await roleGrantCounts(db, [id])).get(id) ?? 0);
}
