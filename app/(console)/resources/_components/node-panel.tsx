"use client";
// The selected node: where it is, what it is, and who holds what there (GET /resources/{id}/access): grants on the
// node itself and those inherited from an ancestor, with their windows and status. Admins grant and revoke here.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { ParamConstraint, Schedule } from "@/lib/authz/types";
import type { GrantView } from "@/lib/grants/grant-view";
import type { AccessEntry } from "@/lib/resources/access-at";
import type { NodeDetailView } from "@/lib/resources/node-view";
import { MAX_ACCESS_LIMIT } from "@/lib/resources/access-limits";
import { GrantDialog } from "./grant-dialog";
import { type IconOf, NodeIcon } from "./node-icon";

/** grants listed at first, and added by each "Show more" */
const ACCESS_PAGE = 100;

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function describeSchedule(s: Schedule): string {
  return `${s.days.map((d) => WEEKDAYS[d] ?? d).join(", ")} ${s.start}–${s.end} ${s.timeZone}`;
}

function describeConstraint(param: string, c: ParamConstraint): string {
  const show = (v: unknown) => JSON.stringify(v);
  if ("equals" in c) return `${param} = ${show(c.equals)}`;
  if ("oneOf" in c) return `${param} one of ${c.oneOf.map(show).join(", ")}`;
  if ("glob" in c) return `${param} matches ${show(c.glob)}`;
  return `${param} ≤ ${c.max}`;
}

const STATUS_TONE = { active: "green", scheduled: "blue", expired: "gray", revoked: "red" } as const;

function Detail({ label, children, className = "" }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={`min-w-0 ${className}`}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5">{children}</dd>
    </div>
  );
}

export function NodeDetails({ node, iconOf, onSelect }: { node: NodeDetailView; iconOf: IconOf; onSelect: (id: string) => void }) {
  return (
    <Card title={node.name} testId="node-details">
      <dl className="grid grid-cols-2 gap-x-8 gap-y-3 p-4 text-sm sm:grid-cols-[auto_auto_auto_1fr]">
        <Detail label="Path" className="col-span-full">
          <nav aria-label="Node path" className="flex flex-wrap gap-x-1 font-mono text-xs" data-testid="node-path">
            {node.ancestors.map((a) => (
              <span key={a.id} className="flex gap-1">
                <button type="button" className="text-brand hover:underline" onClick={() => onSelect(a.id)}>
                  {a.name}
                </button>
                <span className="text-slate-400">/</span>
              </span>
            ))}
            <span className="font-semibold text-slate-800">{node.name}</span>
          </nav>
        </Detail>
        <Detail label="Type">
          <span className="inline-flex items-center gap-1.5" data-testid="node-type">
            <NodeIcon icon={iconOf(node.type)} className="text-slate-500" />
            {node.type}
          </span>
        </Detail>
        <Detail label="Children">{node.childCount.toLocaleString("en-US")}</Detail>
        <Detail label="Grants on it">{node.grantCount}</Detail>
        <Detail label="Id">
          <code className="break-all font-mono text-xs" data-testid="node-id">
            {node.id}
          </code>
        </Detail>
      </dl>
    </Card>
  );
}

export function AccessCard({ node, canWrite, onSelect }: { node: { id: string; path: string }; canWrite: boolean; onSelect: (id: string) => void }) {
  const qc = useQueryClient();
  const [limit, setLimit] = useState(ACCESS_PAGE);
  // a larger limit keeps the rows already shown on screen while it loads
  const access = useQuery({ ...queries.resourceAccess(node.id, limit), placeholderData: keepPreviousData });
  const [granting, setGranting] = useState(false);
  const [revoking, setRevoking] = useState<AccessEntry | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<GrantView>(`/grants/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      return qc.invalidateQueries({ queryKey: queries.resourcesAll().queryKey });
    },
  });
  const entries = access.data?.entries ?? [];
  const total = access.data?.total ?? 0;

  return (
    <Card
      title={total > entries.length ? `Access here (${entries.length} of ${total})` : "Access here"}
      testId="node-access"
      actions={
        canWrite ? (
          <Button size="sm" onClick={() => setGranting(true)}>
            Grant access
          </Button>
        ) : null
      }
    >
      {access.isError ? (
        <div className="p-4">
          <ErrorState error={access.error} onRetry={() => access.refetch()} />
        </div>
      ) : access.isPending ? (
        <LoadingState />
      ) : entries.length === 0 ? (
        <div className="p-4">
          <EmptyState title="Nobody holds anything here">
            {canWrite ? "Grant a role or a tool to an agent or a user: it applies here and below." : "Grants on this node or above it show here."}
          </EmptyState>
        </div>
      ) : (
        // a list rather than a table: the panel is narrow, and each grant has up to five facts to show
        <ul className="divide-y divide-slate-100" data-testid="access-list">
          {entries.map((e) => {
            const when = [
              e.notBefore ? `from ${formatDateTime(e.notBefore)}` : null,
              e.expiresAt ? `until ${formatDateTime(e.expiresAt)}` : null,
              e.schedule ? describeSchedule(e.schedule) : null,
            ].filter(Boolean);
            return (
              <li key={e.id} data-testid={`access-row-${e.principal.label}`} className="flex items-start gap-4 px-4 py-3 text-sm">
                <div className="min-w-0 flex-1 space-y-1">
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <Badge>{e.principal.type}</Badge>
                    <span className="font-medium">{e.principal.label}</span>
                    <span className="text-slate-400">holds</span>
                    {e.role ? <span className="font-medium">role {e.role.name}</span> : <code className="text-xs font-medium">{e.tool?.name}</code>}
                    <Badge tone={STATUS_TONE[e.status]}>{e.status}</Badge>
                    {e.schedule ? <Badge tone="blue">weekly window</Badge> : null}
                    {e.requiresApproval ? <Badge tone="amber">needs approval</Badge> : null}
                  </div>
                  <div className="text-xs text-slate-600">
                    {e.inherited ? (
                      <>
                        inherited from{" "}
                        <button type="button" className="font-mono text-brand hover:underline" onClick={() => onSelect(e.node.id)}>
                          {e.node.path}
                        </button>
                      </>
                    ) : (
                      "on this node"
                    )}
                    {" · "}
                    {when.length ? when.join(" · ") : "no time limit"}
                  </div>
                  {e.role ? <div className="text-xs text-slate-500">tools: {e.tools.length ? e.tools.join(", ") : "none"}</div> : null}
                  {Object.keys(e.constraints).length ? (
                    <div className="font-mono text-xs text-slate-600">
                      {Object.entries(e.constraints)
                        .map(([param, c]) => describeConstraint(param, c))
                        .join("; ")}
                    </div>
                  ) : null}
                  {e.reason ? (
                    <div className="text-xs text-slate-500">
                      “{e.reason}”{e.grantedBy ? ` (granted by ${e.grantedBy.label})` : ""}
                    </div>
                  ) : null}
                </div>
                {canWrite && !e.inherited ? (
                  <Button variant="ghost" size="sm" aria-label={`Revoke ${e.role?.name ?? e.tool?.name} of ${e.principal.label}`} onClick={() => setRevoking(e)}>
                    Revoke
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {total > entries.length ? (
        <div className="flex items-center justify-between gap-4 border-t border-slate-100 px-4 py-3 text-sm text-slate-600">
          <span>
            Showing the nearest {entries.length} of {total} grants.
          </span>
          {limit < MAX_ACCESS_LIMIT ? (
            <Button size="sm" variant="secondary" disabled={access.isFetching} onClick={() => setLimit((l) => Math.min(l + ACCESS_PAGE, MAX_ACCESS_LIMIT))}>
              {access.isFetching ? "Loading…" : `Show ${Math.min(ACCESS_PAGE, total - entries.length)} more`}
            </Button>
          ) : (
            <span>The CLI lists them all: grant list --node {node.path} --inherited</span>
          )}
        </div>
      ) : null}

      {canWrite ? <GrantDialog open={granting} node={node} onClose={() => setGranting(false)} /> : null}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.role ? `role ${revoking.role.name}` : `tool ${revoking?.tool?.name ?? ""}`} of ${revoking?.principal.label ?? ""}?`}
        body={`It stops applying on ${node.path} and everything below it at once. The grant's record stays, marked revoked, and the audit trail keeps its history.`}
        confirmLabel="Revoke grant"
        pending={revoke.isPending}
        error={revoke.error?.message}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
      />
    </Card>
  );
}
