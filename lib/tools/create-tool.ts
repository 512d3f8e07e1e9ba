import type { Actor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { changeAuthz } from "@/lib/grants/authz-version";
import { newId } from "@/lib/ids";
import { placeInBuiltInRoles } from "@/lib/roles/built-in-roles";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { type CreateToolInput, createToolInput } from "./schemas";
import { type ToolView, toToolView } from "./tool-view";

/**
 * Adds a tool to the catalog and, in the same transaction, to the built-in roles of its risk (Viewer: read; Editor:
 * read and write; Deployer: all). Grants of those roles cover it from the moment it exists.
 */
export async function createTool(db: Db, input: CreateToolInput, actor: Actor, now = new Date()): Promise<ToolView> {
  const data = createToolInput.parse(input);
  await ensureAuthzBuiltIns(db);
  try {
    return await changeAuthz(db, async (tx, note) => {
      const paramsSchema = canonicalJson(data.paramsSchema ?? {});
      const row = await tx.tool.create({
        data: {
          id: newId("tool", now.getTime()),
          name: data.name,
          description: data.description,
          paramsSchema,
          risk: data.risk,
          approvalPolicy: data.approvalPolicy,
          approvalQuorum: data.approvalQuorum,
          approvalTtlSeconds: data.approvalTtlSeconds,
          createdAt: now,
        },
      });
      const roles = await placeInBuiltInRoles(tx, row.id, row.risk);
      note.tools([row.id]);
      await recordAuditEvent(
        tx,
        {
          actor,
          action: "tool.create",
          target: { type: "tool", id: row.id },
          // the schema as text: its property names are the tool's, and must not be read as field names of the event
          details: {
            name: row.name,
            description: row.description,
            risk: row.risk,
            paramsSchema,
            approvalPolicy: row.approvalPolicy,
            approvalQuorum: row.approvalQuorum,
            approvalTtlSeconds: row.approvalTtlSeconds,
            builtInRoles: roles,
          },
        },
        now,
      );
      return toToolView(row, roles);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `A tool named ${data.name} already exists`);
    throw e;
  }
}
