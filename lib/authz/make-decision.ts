// A decision for a resource server: "may the agent holding this token call this tool on this resource, now?"
// The token is checked first (signature, expiry, revocation, agent active, issued for this resource server, tool in
// its scope); then the pure core decides for every principal the token represents. Every decision is audited, and
// its audit event's id is the decision id.
import { createHash } from "node:crypto";
import { z } from "zod";
import { type ApprovalRef } from "@/lib/approvals/call";
import { decideWithApproval } from "@/lib/approvals/approval-for-decision";
import { observeDecision } from "@/lib/alerts/observe-decision";
import type { Actor } from "@/lib/audit/actor";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { type AuditInput, looksLikeSecret } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { hasPrefix } from "@/lib/ids";
import { type AccessTokenClaims, checkAccessToken, type TokenCheck } from "@/lib/oauth/access-token";
import type { AuthenticatedResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { decide } from "./decide";
import { checkDelegationScope } from "./delegation-scope";
import { type LoadedAuthz, resolveInSnapshot, resolveUsers } from "./load-snapshot";
import { nodePath } from "./paths";
import { currentAuthz } from "./snapshot-cache";
import type { Decision, PrincipalRef, Reason } from "./types";

// what the audit event repeats must not look like a secret (the trail refuses those): a 400 here, never a 500 there
export const auditableText = (max: number, min = 1) =>
  z.string().min(min).max(max).refine((v) => !looksLikeSecret(v), "looks like a Deputy secret; never put a secret here");

export const decisionInput = z.object({
  token: z.string().min(1).max(16_384),
  tool: auditableText(200),
  /** a node id or a tree path */
  resource: auditableText(2_000),
  params: z.record(z.string(), z.unknown()).default({}),
  /** the users who will see the output: ids or emails */
  audience: z.array(auditableText(254)).max(100).optional(),
  task: z.object({ id: auditableText(200), description: auditableText(2_000, 0).optional(), tools: z.array(auditableText(200)).max(100).optional() }).optional(),
});
export type DecisionInput = z.input<typeof decisionInput>;

/** `approval`: on approval_required, the request a person must decide (its console page is `url`); on an allow that
 * used an approval, the approval it used. */
export type DecisionResult = Decision & { decision_id: string; approval?: ApprovalRef };

/** Every principal a token represents: its subject, then each actor of its delegation chain (RFC 8693 `act`). */
export function principalsOf(claims: AccessTokenClaims): PrincipalRef[] {
  const out: PrincipalRef[] = [];
  // a client_credentials token's subject is the agent itself; a delegated token's subject is the person
  // (an upstream agent can be the subject too: its id says so)
  out.push(claims.sub === claims.client_id || hasPrefix(claims.sub, "agent") ? { type: "agent", id: claims.sub } : { type: "user", id: claims.sub });
  let act = (claims as { act?: { sub?: unknown; act?: unknown } }).act;
  for (let depth = 0; act && typeof act.sub === "string" && depth < 10; depth++) {
    out.push({ type: "agent", id: act.sub });
    act = act.act as typeof act;
  }
  if (!out.some((p) => p.type === "agent" && p.id === claims.client_id)) out.push({ type: "agent", id: claims.client_id });
  return out;
}

/**
 * The audience's users (ids or emails) as principals; `unknown` is the deny when any cannot be found: a user whose
 * access cannot be checked must not see the output.
 */
export async function resolveAudience(db: Db, loaded: LoadedAuthz, refs: string[] = []): Promise<{ audience: PrincipalRef[]; unknown: Decision | null }> {
  const audience: PrincipalRef[] = [];
  const missing: string[] = [];
  const ids = refs.length ? await resolveUsers(db, loaded, refs) : [];
  refs.forEach((ref, i) => (ids[i] ? audience.push({ type: "user", id: ids[i] }) : missing.push(ref)));
  const unknown = missing.length ? deny("unknown_audience_user", `Unknown audience users (their access cannot be checked): ${missing.join(", ")}`) : null;
  return { audience, unknown };
}

/** Who a decision's audit event names as its actor: the agent the token was issued to, by name when known. */
export const decisionActor = (agentId: string | null, labels: ReadonlyMap<string, string>): Actor => ({
  type: "agent",
  id: agentId ?? "unknown",
  label: (agentId && labels.get(`agent:${agentId}`)) ?? agentId ?? "unknown token",
});

/** The digest the audit trail keeps of a call's parameters (never the parameters themselves). */
export const paramsDigest = (params: Record<string, unknown>) => createHash("sha256").update(canonicalJson(params)).digest("hex");

/** A token refused by the kill switch, by how it names the killed agent (lib/oauth/access-token.ts). */
const KILLED_AS: Record<string, string> = { agent_killed: "holds", subject_killed: "acts for", actor_killed: "names in its delegation chain" };

/**
 * Why this token may not ask about this tool here at all, or null when it may: it is inactive (the kill switch says
 * so and names the agent, so that the tool's operator knows this is no expiry to retry past), it was issued for
 * another resource server (which may only ask about tokens for its own audience), or its scope lacks the tool.
 * Null only for an active token.
 */
export function tokenRefusal(token: TokenCheck, server: AuthenticatedResourceServer, tool: string, labels: ReadonlyMap<string, string>): Decision | null {
  if (!token.active) {
    const killed = KILLED_AS[token.reason];
    if (!killed) return deny("token_inactive", `The token is not active: ${token.reason.replaceAll("_", " ")}`);
    const who = `agent ${(token.agentId && labels.get(`agent:${token.agentId}`)) ?? token.agentId}`;
    return deny("agent_killed", `The token is refused: it ${killed} ${who}, which was cut off with the kill switch`);
  }
  if (![token.claims.aud].flat().includes(server.audience)) return deny("token_audience", `The token was not issued for ${server.audience}`);
  if (!token.claims.scope.split(" ").includes(tool)) return deny("not_in_scope", `The token's scope does not include ${tool}`);
  return null;
}

const deny = (code: Reason["code"], message: string): Decision => ({ decision: "deny", reasons: [{ code, message }], grants: [] });

export async function makeDecision(db: Db, server: AuthenticatedResourceServer, input: DecisionInput, now = new Date()): Promise<DecisionResult> {
  const req = decisionInput.parse(input);
  const token = await checkAccessToken(db, req.token, now);
  const claims = token.active ? token.claims : null;
  const loaded = await currentAuthz(db, now.getTime());
  const nodeId = resolveInSnapshot(loaded, req.resource);
  // a delegated token acts only inside its own authorization_details, whatever its principals hold elsewhere
  const delegation = claims && nodeId !== null ? checkDelegationScope(loaded, claims, req.tool, nodeId, now.getTime()) : null;

  let decision: Decision;
  let principals: PrincipalRef[] = [];
  const refusal = tokenRefusal(token, server, req.tool, loaded.snapshot.labels);
  if (refusal) {
    decision = refusal;
  } else if (nodeId === null) {
    decision = deny("unknown_node", `No resource ${req.resource}`);
  } else if (delegation && !delegation.ok) {
    decision = deny("outside_delegation", delegation.message);
  } else {
    principals = principalsOf(claims!); // tokenRefusal refuses every inactive token
    const { audience, unknown } = await resolveAudience(db, loaded, req.audience);
    decision = unknown ?? decide(loaded.snapshot, { tool: req.tool, nodeId, params: req.params, principals, audience }, now);
  }

  const agentId = claims?.client_id ?? null;
  const event: AuditInput = {
    actor: decisionActor(agentId, loaded.snapshot.labels),
    action: "decision.make",
    target: nodeId ? { type: "resource_node", id: nodeId } : undefined,
    result: decision.decision,
    // keys in sorted order, as the audit trail's canonical JSON writes them: then it need not copy (canonical-json.ts)
    details: {
      ...(req.audience ? { audience: req.audience } : {}),
      ...(claims ? { jti: claims.jti } : {}),
      paramsDigest: paramsDigest(req.params),
      principals: principals.map((p) => `${p.type}:${p.id}`),
      reasons: decision.reasons.map((r) => ({ code: r.code, ...(r.grantId ? { grantId: r.grantId } : {}), message: r.message })),
      resource: req.resource,
      resourceServer: server.id,
      ...(req.task ? { task: req.task } : {}),
      tool: req.tool,
    },
  };
  // anomaly rules run after the answer, off the response path: this only queues (lib/alerts/observe-decision.ts)
  const observed = (r: DecisionResult) => observeDecision(r, { agentId, agentLabel: event.actor.label, tool: req.tool, nodeId, resource: req.resource, task: req.task ?? null, at: now });
  // only approval_required pays for approvals: it uses an approved one for this exact call, or opens (reuses) one
  if (decision.decision === "approval_required" && agentId && nodeId) {
    const resourcePath = nodePath(loaded.snapshot, nodeId);
    const call = { agentId, principals, tool: req.tool, nodeId, resourcePath, params: req.params, task: req.task, resourceServerId: server.id };
    return observed(await decideWithApproval(db, call, decision, event, loaded.snapshot.labels, now));
  }
  const decisionId = await auditBatcher().record(event, now);
  return observed({ ...decision, decision_id: decisionId });
}
