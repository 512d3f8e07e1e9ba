import { z } from "zod";

const agentId = z.string().trim().min(1).max(100);

/** An admin policy: agent `from` may hand the tokens it holds to agent `to` through token exchange (RFC 8693). */
export const delegationRuleInput = z.object({ from: agentId, to: agentId }).strict();
export type DelegationRuleInput = z.input<typeof delegationRuleInput>;

/** `agent`: only the rules where that agent delegates or is delegated to. */
export const listDelegationRulesQuery = z.object({ agent: agentId.optional() });
