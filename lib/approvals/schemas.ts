// The inputs of the approval use cases, parsed at the boundary. Text that an audit event or an approver's screen
// repeats may not look like a Deputy secret: a 400 here, never a 500 at the audit trail.
import { z } from "zod";
import { looksLikeSecret } from "@/lib/audit/record-event";
import { APPROVAL_STATUSES } from "./call";

const text = (max: number, min = 1) =>
  z.string().min(min).max(max).refine((v) => !looksLikeSecret(v), "looks like a Deputy secret; never put a secret here");

/** POST /api/v1/approvals: an agent asks a person to confirm one exact call before it makes it. */
export const requestApprovalInput = z.object({
  tool: text(200),
  /** a node id or a tree path */
  resource: text(2_000),
  params: z.record(z.string(), z.unknown()).default({}),
  /** why the agent wants to make this call, in words the approver reads */
  justification: text(4_000),
  /** the agent's reasoning that led to the call, shown to the approver as written */
  reasoning_trace: text(50_000, 0).optional(),
  task: z.object({ id: text(200), description: text(2_000, 0).optional(), tools: z.array(text(200)).max(100).optional() }).optional(),
});
export type RequestApprovalInput = z.input<typeof requestApprovalInput>;

/** POST /api/v1/approvals/{id}/decide. Approving needs the approver's password again (recent re-authentication). */
export const decideApprovalInput = z.object({
  decision: z.enum(["approve", "deny"]),
  comment: text(2_000, 0).optional(),
  password: z.string().max(1_024).optional(),
});
export type DecideApprovalInput = z.input<typeof decideApprovalInput>;

export const listApprovalsQuery = z.object({
  status: z.enum(APPROVAL_STATUSES).optional(),
  /** an agent id */
  agent: z.string().max(100).optional(),
  /** a tool name */
  tool: z.string().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListApprovalsQuery = z.input<typeof listApprovalsQuery>;

/** GET /api/v1/approvals/{id}?wait=30: answer as soon as the status changes, or after `wait` seconds. */
export const getApprovalQuery = z.object({
  wait: z.coerce.number().int().min(0).max(30).default(0),
});
