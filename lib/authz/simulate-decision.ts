// The console's "Simulate": the decision an agent (optionally acting for a user) would get for a tool on a node with
// these parameters, now or at a chosen time, without any token. Nothing is recorded: no call was made.
import { z } from "zod";
import { agentById } from "@/lib/agents/credential-cache";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { decide } from "./decide";
import { resolveAgent, resolveInSnapshot, resolveUsers } from "./load-snapshot";
import { currentAuthz } from "./snapshot-cache";
import type { Decision, PrincipalRef } from "./types";

export const simulateInput = z.object({
  agentId: z.string().trim().min(1).max(100),
  /** the user the agent acts for: id or email */
  user: z.string().trim().min(1).max(254).optional(),
  tool: z.string().trim().min(1).max(200),
  /** a node id or path */
  resource: z.string().trim().min(1).max(2_000),
  params: z.record(z.string(), z.unknown()).default({}),
  audience: z.array(z.string().min(1).max(254)).max(100).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type SimulateInput = z.input<typeof simulateInput>;

export async function simulateDecision(db: Db, input: SimulateInput, now = new Date()): Promise<Decision & { nodeId: string; at: string }> {
  const q = simulateInput.parse(input);
  const loaded = await currentAuthz(db, now.getTime());
  if (!(await resolveAgent(db, loaded, q.agentId))) throw new AppError("not_found", "Agent not found");
  const nodeId = resolveInSnapshot(loaded, q.resource);
  if (!nodeId) throw new AppError("not_found", `Resource node not found: ${q.resource}`);
  const principals: PrincipalRef[] = [{ type: "agent", id: q.agentId }];
  const refs = [...(q.user ? [q.user] : []), ...(q.audience ?? [])];
  const ids = await resolveUsers(db, loaded, refs);
  const missing = refs.find((_, i) => ids[i] === null);
  if (missing !== undefined) throw new AppError("not_found", `User not found: ${missing}`);
  if (q.user) principals.push({ type: "user", id: ids[0]! });
  const audience: PrincipalRef[] = ids.slice(q.user ? 1 : 0).map((id) => ({ type: "user", id: id! }));
  const at = q.at ? new Date(q.at) : now;
  // a killed agent's grants stay on record but grant nothing
  if ((await agentById(db, q.agentId))?.status === "killed") {
    const label = loaded.snapshot.labels.get(`agent:${q.agentId}`) ?? q.agentId;
    const reason = { code: "agent_killed" as const, message: `Agent ${label} was cut off with the kill switch; its grants grant nothing` };
    return { decision: "deny", reasons: [reason], grants: [], nodeId, at: at.toISOString() };
  }
  return { ...decide(loaded.snapshot, { tool: q.tool, nodeId, params: q.params, principals, audience }, at), nodeId, at: at.toISOString() };
}
