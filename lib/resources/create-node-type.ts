import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { type NodeTypeView, toNodeTypeView } from "./node-type-view";
import { type CreateNodeTypeInput, createNodeTypeInput } from "./schemas";

/**
 * Adds a custom node type (a label and an icon). Types only label nodes: a new one changes no decision, so the
 * authorization version does not move.
 */
export async function createNodeType(db: Db, input: CreateNodeTypeInput, actor: Actor, now = new Date()): Promise<NodeTypeView> {
  const data = createNodeTypeInput.parse(input);
  // built-ins first: a custom type must not take a built-in name before the built-ins exist
  await ensureAuthzBuiltIns(db);
  try {
    return await inTransaction(db, async (tx) => {
      const row = await tx.nodeType.create({ data: { name: data.name, icon: data.icon, builtIn: false, createdAt: now } });
      await recordAuditEvent(tx, { actor, action: "node_type.create", target: { type: "node_type", id: row.name }, details: { name: row.name, icon: row.icon } }, now);
      return toNodeTypeView(row);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `A node type named ${data.name} already exists`);
    throw e;
  }
}
