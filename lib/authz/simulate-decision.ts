// The console's "Simulate": the decision an agent (optionally acting for a user) would get for a tool on a node with
// these parameters, now or at a chosen time, without any token. Nothing is recorded: no call was made.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { decide } from "./decide";
import { resolveInSnapshot } from "./load-snapshot";
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
  const userId = (ref: string) => (loaded.snapshot.labels.has(`user:${ref}`) ? ref : loaded.userIdsByEmail.get(ref.toLowerCase()));
  if (!loaded.snapshot.labels.has(`agent:${q.agentId}`)) throw new AppError("not_found", "Agent not found");
  const nodeId = resolveInSnapshot(loaded, q.resource);
  if (!nodeId) throw new AppError("not_found", `Resource node not found: ${q.resource}`);
  const principals: PrincipalRef[] = [{ type: "agent", id: q.agentId }];
  if (q.user) {
    const id = userId(q.user);
    if (!id) throw new AppError("not_found", `User not found: ${q.user}`);
    principals.push({ type: "user", id });
  }
  const audience: PrincipalRef[] = [];
  for (const ref of q.audience ?? []) {
    const id = userId(ref);
    if (!id) throw new AppError("not_found", `User not found: ${ref}`);
    audience.push({ type: "user", id });
  }
  const at = q.at ? new Date(q.at) : now;
  return { ...decide(loaded.snapshot, { tool: q.tool, nodeId, params: q.params, principals, audience }, at), nodeId, at: at.toISOString() };
}
