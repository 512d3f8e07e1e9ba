import type { Prisma } from "@/generated/sqlite/client";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { changeCredentials } from "./credential-cache";
import { notFound } from "@/lib/errors/app-error";
import { type AgentView, parseScopes } from "./agent-view";
import { loadAgentView } from "./load-agent";
import { resolveOwner } from "./resolve-owner";
import { type UpdateAgentInput, updateAgentInput } from "./schemas";

type Change = { from: unknown; to: unknown };

/**
 * Changes an agent's name, description, owner, kind, token lifetime, allowed scopes, introspection right or redirect URIs. One
 * `agent.update` event lists each changed field with its old and new value; nothing is recorded when nothing changed.
 * Tokens already issued keep the scopes and lifetime they were issued with (at most an hour).
 */
export async function updateAgent(db: Db, id: string, input: UpdateAgentInput, actor: Actor): Promise<AgentView> {
  const patch = updateAgentInput.parse(input);
  return changeCredentials(db, async (tx) => {
    const before = await tx.agent.findUnique({ where: { id }, include: { owner: { select: { id: true, email: true } } } });
    if (!before) throw notFound("Agent");

    const changes: Record<string, Change> = {};
    const data: Prisma.AgentUncheckedUpdateInput = {};
    /** records a field when its value really changes */
    const changed = (field: string, from: unknown, to: unknown) => {
      if (JSON.stringify(from) === JSON.stringify(to)) return false;
      changes[field] = { from, to };
      return true;
    };

    if (patch.name !== undefined && changed("name", before.name, patch.name)) data.name = patch.name;
    const description = patch.description === undefined ? undefined : patch.description || null;
    if (description !== undefined && changed("description", before.description, description)) data.description = description;
    if (patch.kind !== undefined && changed("kind", before.kind, patch.kind)) data.kind = patch.kind;
    if (patch.tokenTtlSeconds !== undefined && changed("tokenTtlSeconds", before.tokenTtlSeconds, patch.tokenTtlSeconds)) {
      data.tokenTtlSeconds = patch.tokenTtlSeconds;
    }
    if (patch.canIntrospect !== undefined && changed("canIntrospect", before.canIntrospect, patch.canIntrospect)) {
      data.canIntrospect = patch.canIntrospect;
    }
    if (patch.allowedScopes !== undefined && changed("allowedScopes", parseScopes(before.allowedScopes), patch.allowedScopes)) {
      data.allowedScopes = patch.allowedScopes.join(" ");
    }
    if (patch.redirectUris !== undefined && changed("redirectUris", before.redirectUris.split(" ").filter(Boolean), patch.redirectUris)) {
      data.redirectUris = patch.redirectUris.join(" ");
    }
    if (patch.owner !== undefined) {
      const owner = await resolveOwner(tx, patch.owner);
      if (owner.id !== before.ownerId) {
        changes.owner = { from: before.owner.email, to: owner.email };
        data.ownerId = owner.id;
      }
    }

    if (Object.keys(data).length > 0) {
      await tx.agent.update({ where: { id }, data });
      await recordAuditEvent(tx, { actor, action: "agent.update", target: { type: "agent", id }, details: { changes } });
    }
    return loadAgentView(tx, id);
  });
}
