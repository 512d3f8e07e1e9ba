// What binds an approval to one exact call, and the small rules every approval use case shares.
//
// Invariant: an approval covers exactly one call, named by (agent, principals in order, tool, node, parameter hash).
// The hash is SHA-256 of the canonical JSON of the parameters (keys sorted at every depth), so the same parameters
// in any key order are the same call and any changed value is another call.
import { createHash } from "node:crypto";
import type { ApprovalRequest } from "@/generated/sqlite/client";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { principalKey, type PrincipalRef } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";
import { issuer } from "@/lib/oauth/issuer";

export const DEFAULT_APPROVAL_TTL_SECONDS = 600;
export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired", "cancelled"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export const APPROVAL_POLICIES = ["any", "not_subject", "quorum"] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

export function paramsHash(params: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(params)).digest("hex");
}

/** The stored form of the call's principals: canonical JSON of "type:id", in the token's order. */
export function principalsText(principals: readonly PrincipalRef[]): string {
  return canonicalJson(principals.map(principalKey));
}

export function parsePrincipals(text: string): PrincipalRef[] {
  return (JSON.parse(text) as string[]).map((k) => {
    const colon = k.indexOf(":");
    return { type: k.slice(0, colon) as PrincipalRef["type"], id: k.slice(colon + 1) };
  });
}

/** The person the agent acts for: the first user among the principals (a delegated token's subject). */
export function subjectUserId(principals: readonly PrincipalRef[]): string | null {
  return principals.find((p) => p.type === "user")?.id ?? null;
}

/** The console page of a request: what the decision answer and webhooks link to. */
export function approvalUrl(id: string): string {
  return `${issuer()}/approvals/${encodeURIComponent(id)}`;
}

/**
 * Expiry is exclusive, like a grant's: at `expiresAt` itself the request is over. An approved request that was not
 * used by then allows nothing either.
 */
export function isPastExpiry(row: Pick<ApprovalRequest, "expiresAt">, now: Date): boolean {
  return now.getTime() >= row.expiresAt.getTime();
}

/** The number of distinct approve votes that settle a request under its policy. */
export function votesNeeded(row: Pick<ApprovalRequest, "policy" | "quorum">): number {
  return row.policy === "quorum" ? Math.max(1, row.quorum) : 1;
}

/** What the decision answer carries about the approval it opened, reused or used. */
export function approvalRef(row: Pick<ApprovalRequest, "id" | "status" | "expiresAt">) {
  return { id: row.id, status: row.status, url: approvalUrl(row.id), expires_at: row.expiresAt.toISOString() };
}
export type ApprovalRef = ReturnType<typeof approvalRef>;

/**
 * Serialises the approval path of one agent's calls until the transaction commits: a row lock on PostgreSQL, the
 * write lock on SQLite. Without it, two concurrent decisions for the same call on PostgreSQL could each find no open
 * request and open one each. One counter row per agent that ever needed an approval; never per call.
 */
export async function lockAgentApprovals(tx: Db, agentId: string): Promise<void> {
  const name = `approvals:${agentId}`;
  await tx.counter.upsert({ where: { name }, create: { name, value: 1 }, update: { value: { increment: 1 } } });
}
