import type { z } from "zod";
import type { Db } from "@/lib/db/client";
import { type DelegationRuleView, toDelegationRuleViews } from "./delegation-rule-view";
import { listDelegationRulesQuery } from "./schemas";

/** Every delegation rule, or those where `agent` delegates or is delegated to; oldest first. */
export async function listDelegationRules(db: Db, query: z.input<typeof listDelegationRulesQuery> = {}): Promise<DelegationRuleView[]> {
  const { agent } = listDelegationRulesQuery.parse(query);
  const rows = await db.delegationRule.findMany({
    where: agent ? { OR: [{ fromAgentId: agent }, { toAgentId: agent }] } : {},
    orderBy: [{ createdAt: "asc" }, { fromAgentId: "asc" }, { toAgentId: "asc" }],
    take: 1_000,
  });
  return toDelegationRuleViews(db, rows);
}

/** Whether an admin let agent `from` delegate to agent `to` (the token exchange asks this on every hop). */
export async function mayDelegate(db: Db, from: string, to: string): Promise<boolean> {
  return (await db.delegationRule.count({ where: { fromAgentId: from, toAgentId: to } })) > 0;
}
