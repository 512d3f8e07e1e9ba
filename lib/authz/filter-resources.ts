// Decisions for many resources at once: which of these (up to 1,000) may the token's holder use the tool on? For
// filtering an agent's memory or retrieved documents by their source resource. The same checks as one decision
// (make-decision.ts), audience and task included; approval_required counts as not allowed, since a filter cannot
// wait for a person. One audit event for the whole call, listing what was allowed and why each other was not.
import { z } from "zod";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import type { Db } from "@/lib/db/client";
import { checkAccessToken } from "@/lib/oauth/access-token";
import type { AuthenticatedResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { decide } from "./decide";
import { checkDelegationScope } from "./delegation-scope";
import { resolveInSnapshot } from "./load-snapshot";
import { auditableText, decisionActor, decisionInput, paramsDigest, principalsOf, resolveAudience, tokenRefusal } from "./make-decision";
import { currentAuthz } from "./snapshot-cache";
import type { ReasonCode } from "./types";

export const MAX_FILTER_RESOURCES = 1_000;

export const filterInput = z.object({
  token: decisionInput.shape.token,
  tool: decisionInput.shape.tool,
  resources: z.array(auditableText(2_000)).min(1).max(MAX_FILTER_RESOURCES),
  params: decisionInput.shape.params,
  audience: decisionInput.shape.audience,
  task: decisionInput.shape.task,
});

export async function filterResources(db: Db, server: AuthenticatedResourceServer, input: z.input<typeof filterInput>, now = new Date()) {
  const req = filterInput.parse(input);
  const token = await checkAccessToken(db, req.token, now);
  const claims = token.active ? token.claims : null;
  const loaded = await currentAuthz(db, now.getTime());
  const principals = claims ? principalsOf(claims) : [];

  // the whole call is refused for the reasons one decision would be, or for an audience user who cannot be checked
  const refusal = tokenRefusal(token, server, req.tool, loaded.snapshot.labels);
  const { audience, unknown } = refusal ? { audience: [], unknown: null } : await resolveAudience(db, loaded, req.audience);
  const refused = (refusal ?? unknown)?.reasons[0];

  // the answer gives back the caller's own references; the audit event keeps node ids (short, and stable across
  // renames), or the first 200 characters of a reference that names no node
  const allowed: string[] = [];
  const allowedNodes: string[] = [];
  const denied: ({ node: string; code: ReasonCode } | { resource: string; code: ReasonCode })[] = [];
  for (const resource of refused ? [] : req.resources) {
    const nodeId = resolveInSnapshot(loaded, resource);
    if (nodeId === null) {
      denied.push({ resource: resource.slice(0, 200), code: "unknown_node" });
    } else if (!checkDelegationScope(loaded, claims!, req.tool, nodeId, now.getTime()).ok) {
      denied.push({ node: nodeId, code: "outside_delegation" });
    } else {
      const d = decide(loaded.snapshot, { tool: req.tool, nodeId, params: req.params, principals, audience }, now);
      if (d.decision === "allow") {
        allowed.push(resource);
        allowedNodes.push(nodeId);
      } else denied.push({ node: nodeId, code: d.reasons[0]!.code });
    }
  }

  const decisionId = await auditBatcher().record(
    {
      actor: decisionActor(claims?.client_id ?? null, loaded.snapshot.labels),
      action: "decision.filter",
      result: allowed.length > 0 ? "allow" : "deny",
      details: {
        allowed: allowedNodes,
        asked: req.resources.length,
        ...(req.audience ? { audience: req.audience } : {}),
        denied,
        ...(claims ? { jti: claims.jti } : {}),
        paramsDigest: paramsDigest(req.params),
        principals: principals.map((p) => `${p.type}:${p.id}`),
        ...(refused ? { refused: refused.code } : {}),
        resourceServer: server.id,
        ...(req.task ? { task: req.task } : {}),
        tool: req.tool,
      },
    },
    now,
  );
  return { allowed, denied: req.resources.length - allowed.length, decision_id: decisionId, ...(refused ? { reason: refused.message } : {}) };
}
