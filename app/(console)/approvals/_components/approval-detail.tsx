"use client";
// One request, everything a person needs to decide it: who asks, for whom, through which delegation chain, the exact
// call, why, what the grants allow, and the time left. Approve asks for the password again; Deny does not.
// The request is re-read every few seconds while pending, so a decision made elsewhere shows up here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ApiError, apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Card, Row } from "@/components/ui/card";
import { FormError } from "@/components/ui/data-table";
import { Field, Input, Textarea } from "@/components/ui/field";
import { ErrorState } from "@/components/ui/states";
import type { ApprovalDetailView } from "@/lib/approvals/approval-view";
import { ParamsView } from "./params-view";
import { ApprovalStatusBadge, RiskBadge } from "./status-badge";
import { TimeLeft } from "./time-left";

const POLICY: Record<string, (quorum: number) => string> = {
  any: () => "Any eligible approver",
  not_subject: () => "Any eligible approver except the person the agent acts for",
  quorum: (n) => `${n} distinct approvers`,
};

export function ApprovalDetail({ initial }: { initial: ApprovalDetailView }) {
  const query = useQuery({
    ...queries.approval(initial.id),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 3_000 : false),
  });
  const a = query.data;
  return (
    <div className="space-y-6">
      <div className="flex items-start justify-between gap-4">
        <div>
          <Link href="/approvals" className="text-sm text-brand hover:underline">
            ← Approvals
          </Link>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold">
            <span className="font-mono">{a.tool.name}</span>
            <RiskBadge risk={a.tool.risk} />
            <span data-testid="approval-status">
              <ApprovalStatusBadge status={a.status} />
            </span>
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            on <span className="font-mono text-slate-800">{a.resource.path}</span> · requested {formatDateTime(a.created_at)} ·{" "}
            <TimeLeft expiresAt={a.expires_at} status={a.status} />
          </p>
        </div>
      </div>
      {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <Card title="Parameters" testId="approval-parameters">
            <ParamsView params={a.params} />
          </Card>
          <Card title="Why the agent asks">
            <div className="space-y-3 p-4 text-sm">
              <div>
                <h4 className="font-medium text-slate-700">Justification</h4>
                <p data-testid="approval-justification" className="whitespace-pre-wrap text-slate-800">
                  {a.justification ?? <span className="text-slate-400">None given (opened by a decision that needed approval).</span>}
                </p>
              </div>
              {a.reasoning_trace ? (
                <div>
                  <h4 className="font-medium text-slate-700">Reasoning trace</h4>
                  <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-xs">{a.reasoning_trace}</pre>
                </div>
              ) : null}
              {a.task ? (
                <div>
                  <h4 className="font-medium text-slate-700">Task</h4>
                  <pre className="overflow-auto rounded-md bg-slate-50 p-3 text-xs">{JSON.stringify(a.task, null, 2)}</pre>
                </div>
              ) : null}
            </div>
          </Card>
          <DecisionCard a={a} />
        </div>
        <div className="space-y-6">
          <Card title="Who asks">
            <div className="divide-y divide-slate-100">
              <Row label="Agent">
                <Link href={`/agents/${a.agent.id}`} className="text-brand hover:underline">
                  {a.agent.name}
                </Link>
                {a.agent.owner ? <div className="text-xs text-slate-500">owner {a.agent.owner.email}</div> : null}
              </Row>
              <Row label="Acts for">{a.user ? a.user.email : <span className="text-slate-500">nobody: the agent acts on its own</span>}</Row>
              <Row label="Delegation chain">
                <ol data-testid="approval-chain" className="flex flex-wrap justify-end gap-1">
                  {a.principals.map((p, i) => (
                    <li key={`${p.type}:${p.id}`} className="flex items-center gap-1">
                      {i > 0 ? <span className="text-slate-400">→</span> : null}
                      <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                        {p.type} {p.label}
                      </span>
                    </li>
                  ))}
                </ol>
              </Row>
              <Row label="Who may approve">{POLICY[a.policy]?.(a.quorum) ?? a.policy}</Row>
              <Row label="Expires">{formatDateTime(a.expires_at)}</Row>
            </div>
          </Card>
          <Card title="What the grants allow" testId="approval-grants">
            <div className="space-y-3 p-4 text-sm">
              <p className="text-slate-600">
                Checked now, as if the call were made: <span className="font-medium">{a.check.decision.replace("_", " ")}</span>
              </p>
              <ul className="list-disc space-y-1 pl-5 text-slate-700">
                {a.check.reasons.map((r, i) => (
                  <li key={i} className={r.code === "granted" || r.code === "approval_required" ? "" : "text-red-700"}>
                    {r.message}
                  </li>
                ))}
              </ul>
              {a.grants.map((g) => (
                <div key={g.id} className="rounded-md border border-slate-200 p-3 text-xs">
                  <div className="font-medium">
                    {g.principal}: {g.via} on <span className="font-mono">{g.node || "—"}</span>
                  </div>
                  {Object.keys(g.constraints).length ? <div className="font-mono text-slate-600">constraints {JSON.stringify(g.constraints)}</div> : null}
                  {g.not_before || g.expires_at ? (
                    <div className="text-slate-600">
                      valid {g.not_before ? `from ${formatDateTime(g.not_before)} ` : ""}
                      {g.expires_at ? `until ${formatDateTime(g.expires_at)}` : ""}
                    </div>
                  ) : null}
                  {g.schedule ? <div className="text-slate-600">{g.schedule}</div> : null}
                  {g.requires_approval ? <div className="text-amber-700">requires approval for each call</div> : null}
                </div>
              ))}
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}

function DecisionCard({ a }: { a: ApprovalDetailView }) {
  const qc = useQueryClient();
  const [comment, setComment] = useState("");
  const [password, setPassword] = useState("");
  const [wanting, setWanting] = useState<"approve" | "deny" | null>(null);
  const decide = useMutation({
    mutationFn: (decision: "approve" | "deny") =>
      apiFetch<ApprovalDetailView>(`/approvals/${a.id}/decide`, {
        method: "POST",
        body: { decision, comment: comment.trim() || undefined, ...(decision === "approve" ? { password } : {}) },
      }),
    onSuccess: (view) => {
      qc.setQueryData(queries.approval(a.id).queryKey, view);
      setPassword("");
      return qc.invalidateQueries({ queryKey: queries.approvalsAll().queryKey });
    },
    onError: (e) => {
      // someone else decided first, or it expired: show the request as it is now, beside the message
      if (e instanceof ApiError && e.status === 409) void qc.invalidateQueries({ queryKey: queries.approval(a.id).queryKey });
    },
  });

  const settled = a.status !== "pending";
  return (
    <Card title="Decision" testId="approval-decision">
      <div className="space-y-3 p-4 text-sm">
        {settled ? (
          <p data-testid="approval-outcome">
            <ApprovalStatusBadge status={a.status} />{" "}
            {a.decided_by ? `by ${a.decided_by.email}` : a.status === "cancelled" ? "by the agent" : ""}
            {a.decided_at ? ` at ${formatDateTime(a.decided_at)}` : a.status === "expired" ? ` at ${formatDateTime(a.expires_at)}` : ""}
            {a.consumed_at ? ` · used by a call at ${formatDateTime(a.consumed_at)}` : a.status === "approved" ? " · not used yet" : ""}
          </p>
        ) : null}
        {a.comment ? <p className="rounded-md bg-slate-50 p-2 text-slate-700">“{a.comment}”</p> : null}
        {a.votes.length ? (
          <ul className="space-y-1 text-slate-600">
            {a.votes.map((v) => (
              <li key={v.user.id}>
                {v.user.email} voted <span className="font-medium">{v.vote}</span> at {formatDateTime(v.created_at)}
                {v.comment ? `: “${v.comment}”` : ""}
              </li>
            ))}
          </ul>
        ) : null}
        {a.policy === "quorum" && !settled ? (
          <p className="text-slate-600">
            {a.votes.filter((v) => v.vote === "approve").length} of {a.quorum} approvals so far.
          </p>
        ) : null}
        {!settled && !a.viewer.can_decide ? <p className="text-slate-500">{a.viewer.reason}</p> : null}
        {!settled && a.viewer.can_decide ? (
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              // the button that submitted says which decision (Enter in a field submits the first: Approve)
              const choice = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "deny" ? "deny" : "approve";
              setWanting(choice);
              decide.mutate(choice);
            }}
          >
            <Field label="Comment (optional)" hint="The agent reads it, so it can tell its user why.">
              <Textarea rows={2} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
            </Field>
            <Field label="Your password" hint="Approving an irreversible action needs your password again.">
              <Input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <FormError>{decide.error?.message}</FormError>
            <div className="flex gap-2">
              <Button type="submit" value="approve" disabled={decide.isPending || !password}>
                {decide.isPending && wanting === "approve" ? "Approving…" : "Approve"}
              </Button>
              <Button type="submit" value="deny" variant="danger" disabled={decide.isPending}>
                {decide.isPending && wanting === "deny" ? "Denying…" : "Deny"}
              </Button>
            </div>
          </form>
        ) : settled && decide.error ? (
          <FormError>{decide.error.message}</FormError>
        ) : null}
      </div>
    </Card>
  );
}
