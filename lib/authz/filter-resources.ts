// Decisions for many resources at once: which of these (up to 1,000) may the token's holder use the tool on? For
// filtering an agent's memory or retrieved documents by their source resource. One audit event for the whole call.
import { z } from "zod";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import type { Db } from "@/lib/db/client";
import { checkAccessToken } from "@/lib/oauth/access-token";
import type { AuthenticatedResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { decide } from "./decide";
import { checkDelegationScope } from "./delegation-scope";
import { resolveInSnapshot } from "./load-snapshot";
import { auditableText, principalsOf } from "./make-decision";
import { currentAuthz } from "./snapshot-cache";

export const filterInput = z.object({
  token: z.string().min(1).max(16_384),
  tool: auditableText(200),
  resources: z.array(z.string().min(1).max(2_000)).min(1).max(1_000),
  params: z.record(z.string(), z.unknown()).default({}),
});

export async function filterResources(db: Db, server: AuthenticatedResourceServer, input: z.input<typeof filterInput>, now = new Date()) {
  const req = filterInput.parse(input);
  const token = await checkAccessToken(db, req.token, now);
  const claims = token.active ? token.claims : null;
  const usable = claims !== null && [claims.aud].flat().includes(server.audience) && claims.scope.split(" ").includes(req.tool);
  const loaded = await currentAuthz(db, now.getTime());
  const principals = claims ? principalsOf(claims) : [];
  // approval_required is not "allowed" here: a filter cannot wait for a person
  const allowed = usable
    ? req.resources.filter((ref) => {
        const nodeId = resolveInSnapshot(loaded, ref);
        return nodeId !== null && checkDelegationScope(loaded, claims!, req.tool, nodeId, now.getTime()).ok && decide(loaded.snapshot, { tool: req.tool, nodeId, params: req.params, principals }, now).decision === "allow";
      })
    : [];
  const decisionId = await auditBatcher().record(
    {
      actor: { type: "agent", id: claims?.client_id ?? "unknown", label: claims?.client_id ?? "unknown token" },
      action: "decision.filter",
      result: allowed.length > 0 ? "allow" : "deny",
      details: { resourceServer: server.id, tool: req.tool, asked: req.resources.length, allowed: allowed.length, principals: principals.map((p) => `${p.type}:${p.id}`) },
    },
    now,
  );
  return { allowed, denied: req.resources.length - allowed.length, decision_id: decisionId, ...(usable ? {} : { reason: claims ? "token not usable for this tool or resource server" : "token not active" }) };
}
