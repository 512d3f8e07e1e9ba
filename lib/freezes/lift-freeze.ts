import { changeCredentials } from "@/lib/agents/credential-cache";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { agentsReaching, inChunks } from "./covered-agents";
import { type FreezeView, toFreezeViews } from "./freeze-view";

const AUDIT_IDS = 1_000;

/**
 * Lifts a freeze: reactivates only the agents this freeze suspended and that it still holds (status suspended,
 * frozenById this freeze). An agent reactivated by hand, suspended by hand, or killed since is not touched. An agent
 * that another freeze still in force covers is handed over to that freeze instead of reactivated, so lifting one of
 * two overlapping freezes never ends the other. Their tokens from before the freeze stay dead (the epoch moved).
 */
export async function liftFreeze(
  db: Db,
  id: string,
  actor: Actor,
  now = new Date(),
): Promise<FreezeView & { reactivatedAgentIds: string[]; handedOver: Record<string, string[]> }> {
  return changeCredentials(db, async (tx) => {
    const { count } = await tx.freeze.updateMany({ where: { id, liftedAt: null }, data: { liftedAt: now, liftedById: actor.id } });
    if (count === 0) {
      if (!(await tx.freeze.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Freeze");
      throw new AppError("conflict", "This freeze was already lifted");
    }
    let held = (await tx.agent.findMany({ where: { frozenById: id, status: "suspended" }, select: { id: true }, orderBy: { id: "asc" } })).map((a) => a.id);

    const handedOver: Record<string, string[]> = {};
    const others = await tx.freeze.findMany({ where: { liftedAt: null }, orderBy: { createdAt: "asc" } });
    for (const other of others) {
      if (held.length === 0) break;
      let covered: string[];
      if (other.nodeId === null) covered = held;
      else {
        const node = await tx.resourceNode.findUnique({ where: { id: other.nodeId }, select: { idPath: true } });
        const reaching = new Set(node ? await agentsReaching(tx, node, now) : []);
        covered = held.filter((a) => reaching.has(a));
      }
      if (covered.length === 0) continue;
      await inChunks(covered, (ids) => tx.agent.updateMany({ where: { id: { in: ids }, frozenById: id, status: "suspended" }, data: { frozenById: other.id } }));
      handedOver[other.id] = covered;
      const moved = new Set(covered);
      held = held.filter((a) => !moved.has(a));
    }
    await inChunks(held, (ids) => tx.agent.updateMany({ where: { id: { in: ids }, frozenById: id, status: "suspended" }, data: { status: "active", frozenById: null } }));

    await recordAuditEvent(
      tx,
      {
        actor,
        action: "freeze.lift",
        target: { type: "freeze", id },
        details: { reactivatedCount: held.length, reactivatedAgentIds: held.slice(0, AUDIT_IDS), handedOver },
      },
      now,
    );
    const [view] = await toFreezeViews(tx, [await tx.freeze.findUniqueOrThrow({ where: { id } })]);
    return { ...view!, reactivatedAgentIds: held, handedOver };
  });
}
