// What leaves the server about tools, and reading their parameter schemas.
import type { Tool } from "@/generated/sqlite/client";
import type { Risk } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";
import type { ApprovalPolicy } from "./schemas";

export type ToolView = {
  id: string;
  name: string;
  description: string;
  /** a JSON schema of the parameters; {} when none was given */
  paramsSchema: Record<string, unknown>;
  risk: Risk;
  /** who confirms a call that needs approval (irreversible tools, or grants that require it) */
  approvalPolicy: ApprovalPolicy;
  /** distinct approvers needed when approvalPolicy is quorum; 1 otherwise */
  approvalQuorum: number;
  /** how long a request waits for its approvers */
  approvalTtlSeconds: number;
  /** names of the roles that hold it */
  roles: string[];
  createdAt: string;
  updatedAt: string;
};

export type ToolDetailView = ToolView & { /** grants of this tool alone (not through a role) that are not revoked */ grantCount: number };

export function toToolView(t: Tool, roles: string[]): ToolView {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    paramsSchema: JSON.parse(t.paramsSchema) as Record<string, unknown>,
    risk: t.risk as Risk,
    approvalPolicy: t.approvalPolicy as ApprovalPolicy,
    approvalQuorum: t.approvalQuorum,
    approvalTtlSeconds: t.approvalTtlSeconds,
    roles: [...roles].sort(),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** Role names per tool, in one query. */
export async function rolesOfTools(db: Db, toolIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (toolIds.length === 0) return out;
  const links = await db.roleTool.findMany({ where: { toolId: { in: toolIds } }, select: { toolId: true, role: { select: { name: true } } } });
  for (const l of links) out.set(l.toolId, [...(out.get(l.toolId) ?? []), l.role.name]);
  return out;
}

export async function loadToolView(db: Db, t: Tool): Promise<ToolView> {
  return toToolView(t, (await rolesOfTools(db, [t.id])).get(t.id) ?? []);
}

/**
 * The parameters a tool's schema lists, with their declared JSON types (when a property says one), or null when the
 * schema lists no properties (then any parameter may be constrained).
 */
export function paramsOf(paramsSchema: string): Map<string, string | null> | null {
  const schema = JSON.parse(paramsSchema) as { properties?: Record<string, { type?: unknown }> };
  if (!schema.properties || typeof schema.properties !== "object") return null;
  return new Map(Object.entries(schema.properties).map(([k, v]) => [k, typeof v?.type === "string" ? v.type : null]));
}
