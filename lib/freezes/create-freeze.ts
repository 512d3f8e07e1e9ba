import { changeCredentials } from "@/lib/agents/credential-cache";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { resolveNodeRef } from "@/lib/resources/resolve-node-ref";
import { pathOf } from "@/lib/resources/tree-rules";
import { agentsReaching, inChunks } from "./covered-agents";
import { type FreezeView, toFreezeViews } from "./freeze-view";
import { type CreateFreezeInput, createFreezeInput } from "./schemas";

/** The audit event lists at most this many agent ids (a freeze of everything may hold thousands); the count is exact. */
const AUDIT_IDS = 1_000;

/**
 * Incident mode: suspends, in one transaction, every active agent (no node) or every active agent whose grants
 * reach the subtree (covered-agents.ts). Each is marked with this freeze (frozenById) and its token epoch moves, so
 * its tokens stop everywhere within CHECK_INTERVAL_MS. Agents already suspended or killed are left as they are:
 * lifting this freeze must not reactivate what someone else suspended.
 */
export async function createFreeze(db: Db, input: CreateFreezeInput, actor: Actor, now = new Date()): Promise<FreezeView & { agentIds: string[] }> {
  const data = createFreezeInput.parse(input);
  return changeCredentials(db, async (tx) => {
    const node = data.node ? await resolveNodeRef(tx, data.node) : null;
    const id = newId("freeze", now.getTime());
    const freeze = await tx.freeze.create({ data: { id, nodeId: node?.id ?? null, reason: data.reason || null, createdById: actor.id, createdAt: now } });
    const suspend = { status: "suspended", frozenById: id, tokenEpoch: { increment: 1 } };
    if (node) {
      await inChunks(await agentsReaching(tx, node, now), (ids) => tx.agent.updateMany({ where: { id: { in: ids }, status: "active" }, data: suspend }));
    } else {
      await tx.agent.updateMany({ where: { status: "active" }, data: suspend });
    }
    // read back what this freeze actually suspended (conditional updates: an agent changed meanwhile is not counted)
    const agentIds = (await tx.agent.findMany({ where: { frozenById: id }, select: { id: true }, orderBy: { id: "asc" } })).map((a) => a.id);
    const path = node ? await pathOf(tx, node) : null;
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "freeze.create",
        target: { type: "freeze", id },
        details: { scope: node ? "subtree" : "all", nodeId: node?.id ?? null, path, reason: data.reason || null, agentCount: agentIds.length, agentIds: agentIds.slice(0, AUDIT_IDS) },
      },
      now,
    );
    const [view] = await toFreezeViews(tx, [freeze]);
    return { ...view!, agentIds };
  });
}
