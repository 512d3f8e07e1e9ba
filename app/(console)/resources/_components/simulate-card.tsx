"use client";
// "Simulate": the decision an agent (optionally acting for a user) would get for a tool on the selected node, with
// these parameters, now or at a chosen time, without any token (POST /api/v1/decisions/simulate). Nothing is
// recorded. The form keeps its choices when another node is selected, so one question can be asked of several nodes.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime, utcIso } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/data-table";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import type { Decision } from "@/lib/authz/types";
import { AgentPicker } from "./agent-picker";

type SimulateBody = { agentId: string; user?: string; tool: string; resource: string; params: Record<string, unknown>; at?: string };
type Simulated = Decision & { nodeId: string; at: string };

const LOOK = {
  allow: { label: "allow", className: "bg-emerald-100 text-emerald-800 ring-emerald-600/30" },
  deny: { label: "deny", className: "bg-red-100 text-red-800 ring-red-600/30" },
  approval_required: { label: "approval required", className: "bg-amber-100 text-amber-900 ring-amber-600/30" },
} as const;

/** The parameters as an object, or why not. */
function parseParams(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, message: 'Parameters must be a JSON object, e.g. {"branch": "main"}' };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (e) {
    return { ok: false, message: `Not valid JSON: ${e instanceof Error ? e.message : "parse error"}` };
  }
}

export function SimulateCard({ node, canListUsers }: { node: { id: string; path: string }; canListUsers: boolean }) {
  const tools = useQuery(queries.tools());
  const users = useQuery({ ...queries.users(), enabled: canListUsers });
  const [agentId, setAgentId] = useState("");
  const [user, setUser] = useState("");
  const [tool, setTool] = useState("");
  const [paramsText, setParamsText] = useState("{}");
  const [at, setAt] = useState("");
  const params = parseParams(paramsText);

  const simulate = useMutation({
    mutationFn: (body: SimulateBody) => apiFetch<Simulated>("/decisions/simulate", { method: "POST", body }),
  });
  // an answer is about one node: another selected node shows none until asked
  const result = simulate.data && simulate.variables?.resource === node.id ? simulate.data : null;
  const error = simulate.error && simulate.variables?.resource === node.id ? simulate.error.message : null;
  const ready = agentId !== "" && tool !== "" && params.ok;

  return (
    <Card title="Simulate" testId="simulate">
      <form
        className="space-y-4 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ready || !params.ok) return;
          simulate.mutate({
            agentId,
            tool,
            resource: node.id,
            params: params.value,
            ...(user.trim() ? { user: user.trim() } : {}),
            ...(at && utcIso(at) ? { at: utcIso(at) } : {}),
          });
        }}
      >
        <p className="text-sm text-slate-600">
          What would this agent be answered for a tool on <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{node.path}</code>? No token is
          needed and nothing is recorded; the agent&apos;s token scopes are not part of the question.
        </p>
        <div className="grid gap-4 lg:grid-cols-2">
          <AgentPicker value={agentId} onChange={setAgentId} />
          {canListUsers ? (
            <Field label="On behalf of (optional)">
              <Select value={user} onChange={(e) => setUser(e.target.value)}>
                <option value="">nobody: the agent acts for itself</option>
                {(users.data ?? [])
                  .filter((u) => u.status === "active")
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.email}
                    </option>
                  ))}
              </Select>
            </Field>
          ) : (
            <Field label="On behalf of (optional)" hint="The user's email.">
              <Input type="email" value={user} onChange={(e) => setUser(e.target.value)} placeholder="dev@example.com" />
            </Field>
          )}
          <Field label="Tool">
            <Select value={tool} onChange={(e) => setTool(e.target.value)} required>
              <option value="">{tools.isPending ? "Loading tools…" : tools.data?.length ? "Choose a tool" : "No tools in the catalog"}</option>
              {(tools.data ?? []).map((t) => (
                <option key={t.id} value={t.name}>
                  {t.name} ({t.risk})
                </option>
              ))}
            </Select>
          </Field>
          <Field label="At (UTC, optional)" hint="Empty: now.">
            <Input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
          </Field>
        </div>
        <Field label="Parameters (JSON)">
          <Textarea
            value={paramsText}
            onChange={(e) => setParamsText(e.target.value)}
            rows={3}
            spellCheck={false}
            className="font-mono text-xs"
            aria-invalid={!params.ok}
            placeholder='{"branch": "feature-x"}'
          />
        </Field>
        {!params.ok ? (
          <p className="text-xs text-red-700" data-testid="simulate-params-error">
            {params.message}
          </p>
        ) : null}
        {tools.isError ? <FormError>Could not load tools: {tools.error.message}</FormError> : null}
        <FormError>{error}</FormError>
        <div className="flex justify-end">
          <Button type="submit" disabled={!ready || simulate.isPending}>
            {simulate.isPending ? "Simulating…" : "Simulate"}
          </Button>
        </div>
      </form>

      {result ? (
        <div className="space-y-3 border-t border-slate-200 p-4" aria-live="polite">
          <div className="flex flex-wrap items-center gap-3">
            <span
              data-testid="simulate-decision"
              className={`inline-flex rounded-lg px-4 py-1.5 text-lg font-semibold ring-1 ring-inset ${LOOK[result.decision].className}`}
            >
              {LOOK[result.decision].label}
            </span>
            <span className="text-sm text-slate-500">
              {simulate.variables?.tool} on {node.path} at {formatDateTime(result.at)}
            </span>
          </div>
          <ul data-testid="simulate-reasons" className="space-y-1.5 text-sm">
            {result.reasons.map((r, i) => (
              <li key={i} className="flex items-start gap-2">
                <code className="mt-0.5 shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{r.code}</code>
                <span>{r.message}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
