// Grants with filters: by principal, by node (with includeInherited: on the node and its ancestors, i.e. every grant
// that reaches it), by role or tool, and by status at `now`. Newest first, keyset paging on the time-ordered id.
import type { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { hasPrefix } from "@/lib/ids";
import { idsOfPath } from "@/lib/resources/paths";
import { resolveNodeRef } from "@/lib/resources/resolve-node-ref";
import { findRole } from "@/lib/roles/resolve-role";
import { findTool } from "@/lib/tools/resolve-tool";
import { grantStatusWhere, type GrantView, toGrantViews, withRelations } from "./grant-view";
import { type ListGrantsQuery, listGrantsQuery } from "./schemas";

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

function decodeCursor(raw: string): string {
  const id = Buffer.from(raw, "base64url").toString("utf8");
  if (!hasPrefix(id, "grant")) throw invalid("cursor", "is not a cursor of this listing");
  return id;
}

export type GrantPage = { grants: GrantView[]; nextCursor: string | null };

export async function listGrants(db: Db, input: ListGrantsQuery = {}, now = new Date()): Promise<GrantPage> {
  const q = listGrantsQuery.parse(input);
  const and: Prisma.GrantWhereInput[] = [];

  if (q.principalId) {
    let type = q.principalType ?? (hasPrefix(q.principalId, "agent") ? "agent" : hasPrefix(q.principalId, "user") || q.principalId.includes("@") ? "user" : undefined);
    if (!type) throw invalid("principalType", "is required when principalId is neither an agent nor a user id");
    let id = q.principalId;
    if (type === "user" && id.includes("@")) {
      const user = await db.user.findUnique({ where: { email: id.toLowerCase() }, select: { id: true } });
      id = user?.id ?? id; // an unknown email matches nothing
      type = "user";
    }
    and.push({ principalType: type, principalId: id });
  } else if (q.principalType) {
    and.push({ principalType: q.principalType });
  }
  if (q.node) {
    const node = await resolveNodeRef(db, q.node);
    and.push(q.includeInherited ? { nodeId: { in: idsOfPath(node.idPath) } } : { nodeId: node.id });
  }
  if (q.role) {
    const role = await findRole(db, q.role);
    if (!role) throw invalid("role", `no role ${q.role}`);
    and.push({ roleId: role.id });
  }
  if (q.tool) {
    const tool = await findTool(db, q.tool);
    if (!tool) throw invalid("tool", `no tool ${q.tool}`);
    and.push({ toolId: tool.id });
  }
  if (q.status !== "all") and.push(grantStatusWhere(q.status, now));
  if (q.cursor) and.push({ id: { lt: decodeCursor(q.cursor) } });

  const rows = await db.grant.findMany({ where: { AND: and }, orderBy: { id: "desc" }, take: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    grants: await toGrantViews(db, await withRelations(db, page), now),
    nextCursor: rows.length > q.limit && last ? Buffer.from(last.id).toString("base64url") : null,
  };
}
