import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { changeCredentials } from "@/lib/agents/credential-cache";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { loadResourceServer, type ResourceServerDetailView } from "./resource-server-view";

/** Enables a disabled resource server: its unrevoked, unexpired secrets authenticate again. Conditional update. */
export async function enableResourceServer(db: Db, id: string, actor: Actor, now = new Date()): Promise<ResourceServerDetailView> {
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.resourceServer.updateMany({ where: { id, status: "disabled" }, data: { status: "active", updatedAt: now } });
    if (count === 0) {
      if (!(await tx.resourceServer.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Resource server");
      throw new AppError("conflict", "This resource server is already enabled");
    }
    const view = await loadResourceServer(tx, id, now);
    await recordAuditEvent(tx, { actor, action: "resource_server.enable", target: { type: "resource_server", id }, details: { name: view.name, audience: view.audience } }, now);
    return view;
  });
}
