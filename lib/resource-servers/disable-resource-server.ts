import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { changeCredentials } from "@/lib/agents/credential-cache";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { loadResourceServer, type ResourceServerDetailView } from "./resource-server-view";

/** Disables a resource server: none of its secrets authenticates until it is enabled again. Conditional update. */
export async function disableResourceServer(db: Db, id: string, actor: Actor, now = new Date()): Promise<ResourceServerDetailView> {
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.resourceServer.updateMany({ where: { id, status: "active" }, data: { status: "disabled", updatedAt: now } });
    if (count === 0) {
      if (!(await tx.resourceServer.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Resource server");
      throw new AppError("conflict", "This resource server is already disabled");
    }
    const view = await loadResourceServer(tx, id, now);
    await recordAuditEvent(tx, { actor, action: "resource_server.disable", target: { type: "resource_server", id }, details: { name: view.name, audience: view.audience } }, now);
    return view;
  });
}
