import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { issueResourceServerSecret } from "./issue-resource-server-secret";
import { loadResourceServer, type ResourceServerDetailView } from "./resource-server-view";
import { type CreateResourceServerInput, createResourceServerInput } from "./schemas";

/**
 * Registers a resource server (a tool or MCP server that asks Deputy for decisions) with its audience URI, unique,
 * and its first secret: returned here and never again.
 */
export async function createResourceServer(
  db: Db,
  input: CreateResourceServerInput,
  actor: Actor,
  now = new Date(),
): Promise<{ resourceServer: ResourceServerDetailView; secret: string }> {
  const data = createResourceServerInput.parse(input);
  try {
    return await inTransaction(db, async (tx) => {
      const server = await tx.resourceServer.create({
        data: { id: newId("resourceServer", now.getTime()), name: data.name, audience: data.audience, description: data.description, createdAt: now },
      });
      const { row, secret } = await issueResourceServerSecret(tx, server.id, data.secretExpiresInDays, now);
      await recordAuditEvent(
        tx,
        {
          actor,
          action: "resource_server.create",
          target: { type: "resource_server", id: server.id },
          details: { name: server.name, audience: server.audience, secretId: row.id, last4: row.last4, expiresAt: row.expiresAt.toISOString() },
        },
        now,
      );
      return { resourceServer: await loadResourceServer(tx, server.id, now), secret };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `A resource server with audience ${data.audience} already exists`);
    throw e;
  }
}
