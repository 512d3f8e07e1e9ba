import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { changeAuthz } from "./authz-version";
import { grantAuditShape } from "./create-grant";
import { type GrantView, toGrantViews, withRelations } from "./grant-view";

/**
 * Revokes a grant at once; its row stays, marked revoked, and grants nothing from then on. The conditional update
 * makes two racing revocations record one event: the second answers 409.
 */
export async function revokeGrant(db: Db, id: string, actor: Actor, now = new Date()): Promise<GrantView> {
  return changeAuthz(db, async (tx, note) => {
    const { count } = await tx.grant.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: now, revokedById: actor.type === "user" ? actor.id : null },
    });
    const row = await tx.grant.findUnique({ where: { id } });
    if (!row) throw notFound("Grant");
    if (count === 0) throw new AppError("conflict", "This grant is already revoked");
    note.grants([row]);
    const [view] = await toGrantViews(tx, await withRelations(tx, [row]), now);
    await recordAuditEvent(tx, { actor, action: "grant.revoke", target: { type: "grant", id }, details: grantAuditShape(view!) }, now);
    return view!;
  });
}
