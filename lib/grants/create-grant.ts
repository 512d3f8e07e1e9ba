import type { Actor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { resolveNodeRef } from "@/lib/resources/resolve-node-ref";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { findRole } from "@/lib/roles/resolve-role";
import { findTool } from "@/lib/tools/resolve-tool";
import { changeAuthz } from "./authz-version";
import { checkConstraints } from "./check-constraints";
import { type GrantView, toGrantViews, withRelations } from "./grant-view";
import { resolvePrincipal } from "./resolve-principal";
import { type CreateGrantInput, createGrantInput } from "./schemas";

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

/** How grant events describe a grant: its whole shape, never anything secret. Constraints become a list, so that
 * parameter names (which could be "apiKey") are values in the event, not field names the audit trail refuses. */
export function grantAuditShape(g: GrantView) {
  return {
    principal: g.principal,
    role: g.role,
    tool: g.tool,
    node: { id: g.node.id, path: g.node.path },
    constraints: Object.entries(g.constraints).map(([param, c]) => ({ param, ...c })),
    notBefore: g.notBefore,
    expiresAt: g.expiresAt,
    schedule: g.schedule,
    requiresApproval: g.requiresApproval,
    reason: g.reason,
  };
}

/**
 * Grants a principal (agent or user) a role or a single tool on a node (id or path) and everything below it, with
 * optional parameter constraints, time window (notBefore inclusive, expiresAt exclusive) and weekly schedule. The
 * granting user is recorded (grantedById) when the actor is a console user; the audit event records any actor.
 */
export async function createGrant(db: Db, input: CreateGrantInput, actor: Actor, now = new Date()): Promise<GrantView> {
  const data = createGrantInput.parse(input);
  const notBefore = data.notBefore ? new Date(data.notBefore) : null;
  const expiresAt = data.expiresAt ? new Date(data.expiresAt) : null;
  // an already expired grant would grant nothing: it is a mistake, not a grant
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw invalid("expiresAt", "is in the past; a grant must end in the future");
  await ensureAuthzBuiltIns(db);
  return changeAuthz(db, async (tx, note) => {
    const principal = await resolvePrincipal(tx, data.principal);
    const node = await resolveNodeRef(tx, data.node);
    let roleId: string | null = null;
    let toolId: string | null = null;
    let tools: { name: string; paramsSchema: string }[];
    if (data.role !== undefined) {
      const role = await findRole(tx, data.role);
      if (!role) throw invalid("role", `no role ${data.role}`);
      roleId = role.id;
      tools = (await tx.roleTool.findMany({ where: { roleId }, select: { tool: { select: { name: true, paramsSchema: true } } } })).map((t) => t.tool);
    } else {
      const tool = await findTool(tx, data.tool!);
      if (!tool) throw invalid("tool", `no tool ${data.tool}`);
      toolId = tool.id;
      tools = [tool];
    }
    checkConstraints(data.constraints, tools);

    const row = await tx.grant.create({
      data: {
        id: newId("grant", now.getTime()),
        principalType: principal.type,
        principalId: principal.id,
        roleId,
        toolId,
        nodeId: node.id,
        constraints: canonicalJson(data.constraints),
        notBefore,
        expiresAt,
        schedule: data.schedule ? canonicalJson(data.schedule) : null,
        requiresApproval: data.requiresApproval,
        reason: data.reason,
        grantedById: actor.type === "user" ? actor.id : null,
        createdAt: now,
      },
    });
    note.grants([row]);
    const [view] = await toGrantViews(tx, await withRelations(tx, [row]), now);
    await recordAuditEvent(tx, { actor, action: "grant.create", target: { type: "grant", id: row.id }, details: grantAuditShape(view!) }, now);
    return view!;
  });
}
