import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, notFound } from "@/lib/errors/app-error";
import { type DelegationRuleView, toDelegationRuleViews } from "./delegation-rule-view";
import { type DelegationRuleInput, delegationRuleInput } from "./schemas";

/**
 * "Agent `from` may delegate to agent `to`": lets `to` exchange a token `from` holds for a delegated one (RFC 8693).
 * It only opens the door: every hop still narrows, and decisions still need every principal of the chain to hold
 * the tool. Allowing twice is a conflict, not a second row.
 */
export async function createDelegationRule(db: Db, input: DelegationRuleInput, actor: Actor, now = new Date()): Promise<DelegationRuleView> {
  const data = delegationRuleInput.parse(input);
  if (data.from === data.to) throw new AppError("validation_failed", "An agent needs no rule to use its own tokens");
  return inTransaction(db, async (tx) => {
    const agents = await tx.agent.findMany({ where: { id: { in: [data.from, data.to] } }, select: { id: true, name: true } });
    const name = (id: string) => agents.find((a) => a.id === id)?.name;
    if (!name(data.from)) throw notFound(`Agent ${data.from}`);
    if (!name(data.to)) throw notFound(`Agent ${data.to}`);
    let row;
    try {
      row = await tx.delegationRule.create({ data: { fromAgentId: data.from, toAgentId: data.to, createdById: actor.id, createdAt: now } });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError("conflict", `${name(data.from)} may already delegate to ${name(data.to)}`);
      throw e;
    }
    await recordAuditEvent(
      tx,
      {
        actor,
        action: "delegation_rule.create",
        target: { type: "agent", id: data.from },
        details: { from: data.from, fromName: name(data.from), to: data.to, toName: name(data.to) },
      },
      now,
    );
    return (await toDelegationRuleViews(tx, [row]))[0]!;
  });
}
