import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type DelegationRuleInput, delegationRuleInput } from "./schemas";

/**
 * Withdraws "agent `from` may delegate to agent `to`": no new exchange passes. Tokens already exchanged live out their
 * (short, never more than their subject token's) lifetime; kill or suspend an agent to stop them at once.
 */
export async function deleteDelegationRule(db: Db, input: DelegationRuleInput, actor: Actor): Promise<{ from: string; to: string }> {
  const data = delegationRuleInput.parse(input);
  return inTransaction(db, async (tx) => {
    // deleteMany: a racing deletion finds nothing and answers 404, not a 500
    const { count } = await tx.delegationRule.deleteMany({ where: { fromAgentId: data.from, toAgentId: data.to } });
    if (count === 0) throw notFound("Delegation rule");
    await recordAuditEvent(tx, { actor, action: "delegation_rule.delete", target: { type: "agent", id: data.from }, details: { from: data.from, to: data.to } });
    return { from: data.from, to: data.to };
  });
}
