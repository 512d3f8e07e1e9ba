import type { Prisma, Tool } from "@/generated/sqlite/client";
import type { Actor } from "@/lib/audit/actor";
import type { ParamConstraint } from "@/lib/authz/types";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { checkConstraints } from "@/lib/grants/check-constraints";
import { placeInBuiltInRoles } from "@/lib/roles/built-in-roles";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { toolByRef } from "./resolve-tool";
import { QUORUM_NEEDS_POLICY, type UpdateToolInput, updateToolInput } from "./schemas";
import { loadToolView, type ToolView } from "./tool-view";

type Change = { from: unknown; to: unknown };
type ToolData = Pick<Prisma.ToolUpdateInput, "description" | "paramsSchema" | "risk" | "approvalPolicy" | "approvalQuorum" | "approvalTtlSeconds">;

/**
 * Changes a tool's description, parameter schema, risk or approval settings. A new risk moves the tool between the
 * built-in roles in the same transaction (from Viewer to Editor and Deployer, say), so built-in roles always follow
 * tool risks; changeAuthz makes decisions see the new risk at once (an irreversible tool answers approval_required).
 * A new schema must still fit the constraints of the grants in force that cover the tool (409 naming the first that
 * does not), so that no grant is left constraining a parameter the tool no longer takes. One tool.update event lists
 * each changed field; nothing is recorded when nothing changed.
 */
export async function updateTool(db: Db, ref: string, input: UpdateToolInput, actor: Actor, now = new Date()): Promise<ToolView> {
  const patch = updateToolInput.parse(input);
  await ensureAuthzBuiltIns(db);
  return changeAuthz(db, async (tx, note) => {
    const before = await toolByRef(tx, ref);
    const changes: Record<string, Change> = {};
    const data: ToolData = {};
    const set = <K extends keyof ToolData & keyof Tool>(field: K, to: Tool[K] | undefined) => {
      if (to === undefined || to === before[field]) return;
      changes[field] = { from: before[field], to };
      (data as Record<string, unknown>)[field] = to;
    };
    set("description", patch.description);
    set("paramsSchema", patch.paramsSchema === undefined ? undefined : canonicalJson(patch.paramsSchema ?? {}));
    set("risk", patch.risk);
    set("approvalPolicy", patch.approvalPolicy);
    const policy = patch.approvalPolicy ?? before.approvalPolicy;
    // leaving quorum without a quorum given resets it: a quorum only means something under that policy
    set("approvalQuorum", patch.approvalQuorum ?? (policy !== "quorum" ? 1 : undefined));
    if (policy !== "quorum" && (patch.approvalQuorum ?? 1) !== 1) {
      throw new AppError("validation_failed", `approvalQuorum: ${QUORUM_NEEDS_POLICY}`, [{ path: "approvalQuorum", message: QUORUM_NEEDS_POLICY }]);
    }
    set("approvalTtlSeconds", patch.approvalTtlSeconds);
    if (Object.keys(data).length === 0) return loadToolView(tx, before);
    if (typeof data.paramsSchema === "string") await assertGrantsFit(tx, before, data.paramsSchema, now);
    const row = await tx.tool.update({ where: { id: before.id }, data: { ...data, updatedAt: now } });
    note.tools([row.id]); // the name never changes here, so instances can patch the tool in
    const details: Record<string, unknown> = { name: row.name, changes };
    if (data.risk) details.builtInRoles = await placeInBuiltInRoles(tx, row.id, row.risk);
    await recordAuditEvent(tx, { actor, action: "tool.update", target: { type: "tool", id: row.id }, details }, now);
    return loadToolView(tx, row);
  });
}

/**
 * The constraints of every grant in force (not revoked, not past its expiry) of the tool itself or of a role that
 * holds it, checked against the tool set they cover with the new schema in place of the old one.
 */
async function assertGrantsFit(tx: Db, tool: Tool, paramsSchema: string, now: Date): Promise<void> {
  const roleIds = (await tx.roleTool.findMany({ where: { toolId: tool.id }, select: { roleId: true } })).map((r) => r.roleId);
  const grants = await tx.grant.findMany({
    where: {
      revokedAt: null,
      constraints: { not: "{}" },
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      AND: [{ OR: [{ toolId: tool.id }, ...(roleIds.length ? [{ roleId: { in: roleIds } }] : [])] }],
    },
    select: { id: true, roleId: true, constraints: true },
    orderBy: { id: "asc" },
  });
  if (grants.length === 0) return;
  const withRoles = [...new Set(grants.map((g) => g.roleId).filter((id): id is string => id !== null))];
  const links = withRoles.length
    ? await tx.roleTool.findMany({ where: { roleId: { in: withRoles } }, select: { roleId: true, tool: { select: { id: true, name: true, paramsSchema: true } } } })
    : [];
  const swap = (t: { id: string; name: string; paramsSchema: string }) => (t.id === tool.id ? { name: t.name, paramsSchema } : t);
  for (const g of grants) {
    const tools = g.roleId ? links.filter((l) => l.roleId === g.roleId).map((l) => swap(l.tool)) : [{ name: tool.name, paramsSchema }];
    try {
      checkConstraints(JSON.parse(g.constraints) as Record<string, ParamConstraint>, tools);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      throw new AppError("conflict", `The new parameter schema does not fit grant ${g.id}: ${e.message}; revoke it or keep the parameter`);
    }
  }
}
