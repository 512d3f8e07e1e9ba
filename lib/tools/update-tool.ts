import type { Actor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { changeAuthz } from "@/lib/grants/authz-version";
import { placeInBuiltInRoles } from "@/lib/roles/built-in-roles";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { toolByRef } from "./resolve-tool";
import { type UpdateToolInput, updateToolInput } from "./schemas";
import { loadToolView, type ToolView } from "./tool-view";

type Change = { from: unknown; to: unknown };

/**
 * Changes a tool's description, parameter schema or risk. A new risk moves the tool between the built-in roles in
 * the same transaction (from Viewer to Editor and Deployer, say), so built-in roles always follow tool risks.
 * Existing grants' constraints are not re-checked against a new schema: the decision engine checks parameters at
 * each call. One tool.update event lists each changed field; nothing is recorded when nothing changed.
 */
export async function updateTool(db: Db, ref: string, input: UpdateToolInput, actor: Actor, now = new Date()): Promise<ToolView> {
  const patch = updateToolInput.parse(input);
  await ensureAuthzBuiltIns(db);
  return changeAuthz(db, async (tx) => {
    const before = await toolByRef(tx, ref);
    const changes: Record<string, Change> = {};
    const data: { description?: string; paramsSchema?: string; risk?: string } = {};
    if (patch.description !== undefined && patch.description !== before.description) {
      changes.description = { from: before.description, to: patch.description };
      data.description = patch.description;
    }
    if (patch.paramsSchema !== undefined) {
      const text = canonicalJson(patch.paramsSchema ?? {});
      if (text !== before.paramsSchema) {
        changes.paramsSchema = { from: before.paramsSchema, to: text };
        data.paramsSchema = text;
      }
    }
    if (patch.risk !== undefined && patch.risk !== before.risk) {
      changes.risk = { from: before.risk, to: patch.risk };
      data.risk = patch.risk;
    }
    if (Object.keys(data).length === 0) return loadToolView(tx, before);
    const row = await tx.tool.update({ where: { id: before.id }, data: { ...data, updatedAt: now } });
    const details: Record<string, unknown> = { name: row.name, changes };
    if (data.risk) details.builtInRoles = await placeInBuiltInRoles(tx, row.id, row.risk);
    await recordAuditEvent(tx, { actor, action: "tool.update", target: { type: "tool", id: row.id }, details }, now);
    return loadToolView(tx, row);
  });
}
