// Opens an approval request bound to one exact call, inside the caller's transaction: the row, its audit event and
// the approval.requested webhook commit together. Both ways in use it: a decision that answered approval_required
// (lib/approvals/approval-for-decision.ts) and an agent asking on its own (lib/approvals/request-approval.ts).
import type { Actor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { PrincipalRef } from "@/lib/authz/types";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { enqueueWebhookEvent } from "@/lib/webhooks/enqueue";
import { APPROVAL_POLICIES, type ApprovalPolicy, approvalUrl, DEFAULT_APPROVAL_TTL_SECONDS, paramsHash, principalsText, subjectUserId } from "./call";

export type ApprovalTool = { name: string; approvalPolicy: string; approvalQuorum: number; approvalTtlSeconds: number };

/** The tool's approval settings (policy, quorum, time to live): one query, on the approval path only. */
export async function loadApprovalTool(db: Db, name: string): Promise<ApprovalTool> {
  const tool = await db.tool.findUnique({ where: { name }, select: { name: true, approvalPolicy: true, approvalQuorum: true, approvalTtlSeconds: true } });
  if (!tool) throw notFound("Tool");
  return tool;
}

export type OpenApprovalInput = {
  source: "decision" | "agent";
  agentId: string;
  principals: PrincipalRef[];
  tool: ApprovalTool;
  nodeId: string;
  /** the tree path of the node, for the audit trail and the webhook */
  resourcePath: string;
  params: Record<string, unknown>;
  justification?: string | null;
  reasoningTrace?: string | null;
  task?: unknown;
  resourceServerId?: string | null;
  decisionId?: string | null;
};

export async function openApprovalRequest(tx: Db, input: OpenApprovalInput, actor: Actor, now: Date, id = newId("approval", now.getTime())) {
  // a policy the code does not know (a row edited by hand) is read as not_subject: stricter than any, never stuck
  const policy: ApprovalPolicy = (APPROVAL_POLICIES as readonly string[]).includes(input.tool.approvalPolicy)
    ? (input.tool.approvalPolicy as ApprovalPolicy)
    : "not_subject";
  const ttlSeconds = input.tool.approvalTtlSeconds > 0 ? input.tool.approvalTtlSeconds : DEFAULT_APPROVAL_TTL_SECONDS;
  const row = await tx.approvalRequest.create({
    data: {
      id,
      status: "pending",
      source: input.source,
      agentId: input.agentId,
      userId: subjectUserId(input.principals),
      principals: principalsText(input.principals),
      toolName: input.tool.name,
      nodeId: input.nodeId,
      paramsHash: paramsHash(input.params),
      params: canonicalJson(input.params),
      justification: input.justification ?? null,
      reasoningTrace: input.reasoningTrace ?? null,
      task: input.task === undefined ? null : canonicalJson(input.task),
      policy,
      quorum: policy === "quorum" ? Math.max(1, input.tool.approvalQuorum) : 1,
      resourceServerId: input.resourceServerId ?? null,
      decisionId: input.decisionId ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    },
  });
  await recordAuditEvent(
    tx,
    {
      actor,
      action: "approval.request",
      target: { type: "approval", id },
      details: {
        source: row.source,
        agentId: row.agentId,
        principals: JSON.parse(row.principals) as string[],
        tool: row.toolName,
        nodeId: row.nodeId,
        resource: input.resourcePath,
        paramsDigest: row.paramsHash,
        policy: row.policy,
        quorum: row.quorum,
        expiresAt: row.expiresAt.toISOString(),
        ...(row.decisionId ? { decisionId: row.decisionId } : {}),
      },
    },
    now,
  );
  await enqueueWebhookEvent(
    tx,
    "approval.requested",
    {
      approval: {
        id,
        status: row.status,
        url: approvalUrl(id),
        agent_id: row.agentId,
        user_id: row.userId,
        tool: row.toolName,
        resource: input.resourcePath,
        policy: row.policy,
        quorum: row.quorum,
        created_at: row.createdAt.toISOString(),
        expires_at: row.expiresAt.toISOString(),
      },
    },
    now,
  );
  return row;
}
