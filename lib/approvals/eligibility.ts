// Who may decide an approval request: pure over the authorization snapshot, so the inbox can say "you may not decide
// this, because ..." with the same rule the decide use case enforces.
//
// Eligible = console role approver or admin, AND a grant of the built-in Approver role (the role holds no tools; it
// marks who approves on a part of the tree) on the request's node or an ancestor, valid now (window and schedule),
// AND the tool's policy allows this person: `not_subject` excludes the user the agent acts for.
import { ancestors, nodePath } from "@/lib/authz/paths";
import { inSchedule } from "@/lib/authz/schedule";
import type { AuthzSnapshot, SnapshotGrant } from "@/lib/authz/types";

/** How the snapshot names a grant of the built-in Approver role (load-snapshot.ts: `role <name>`; names are unique). */
const APPROVER_VIA = "role Approver";

export type Eligibility = { ok: true; grantId: string } | { ok: false; reason: string };

function applies(g: SnapshotGrant, nowMs: number): boolean {
  if (g.notBefore !== null && nowMs < g.notBefore) return false;
  if (g.expiresAt !== null && nowMs >= g.expiresAt) return false;
  return g.schedule === null || inSchedule(g.schedule, nowMs);
}

export function approverEligibility(
  snapshot: AuthzSnapshot,
  user: { id: string; role: string },
  request: { nodeId: string; userId: string | null; policy: string },
  now: Date,
): Eligibility {
  if (user.role !== "approver" && user.role !== "admin") {
    return { ok: false, reason: "Only users with the approver or admin console role decide approvals" };
  }
  if (request.policy === "not_subject" && request.userId === user.id) {
    return { ok: false, reason: "This tool's policy: the person the agent acts for may not approve their own request" };
  }
  const chain = new Set(ancestors(snapshot, request.nodeId));
  const nowMs = now.getTime();
  const grant = (snapshot.grantsByPrincipal.get(`user:${user.id}`) ?? []).find((g) => g.via === APPROVER_VIA && chain.has(g.nodeId) && applies(g, nowMs));
  if (!grant) {
    return { ok: false, reason: `You do not hold the Approver role on ${nodePath(snapshot, request.nodeId) || request.nodeId} or above it` };
  }
  return { ok: true, grantId: grant.id };
}
