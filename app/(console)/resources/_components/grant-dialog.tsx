"use client";
// "Grant access" on a node: a principal (agent or user), a role or a single tool, optional parameter constraints, an
// optional time window (UTC, like every time in the console) and weekly schedule, approval, and a reason. The API
// checks everything again; this form only shapes the body (POST /api/v1/grants).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { apiFetch } from "@/components/api-client";
import { utcIso } from "@/components/format";
import { queries } from "@/components/queries";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/data-table";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import type { ParamConstraint } from "@/lib/authz/types";
import type { GrantView } from "@/lib/grants/grant-view";
import { AgentPicker } from "./agent-picker";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const OPERATORS = [
  { value: "equals", label: "equals" },
  { value: "oneOf", label: "one of" },
  { value: "glob", label: "matches glob" },
  { value: "max", label: "at most" },
] as const;
type Operator = (typeof OPERATORS)[number]["value"];
type ConstraintRow = { key: number; param: string; op: Operator; value: string };

type GrantBody = {
  principal: { type: "agent" | "user"; id: string };
  role?: string;
  tool?: string;
  node: string;
  constraints: Record<string, ParamConstraint>;
  notBefore?: string;
  expiresAt?: string;
  schedule?: { days: number[]; start: string; end: string; timeZone: string };
  requiresApproval: boolean;
  reason: string;
};

/** A typed value: true/false and numbers as such, "quoted" text as that text, anything else as text. */
function scalar(text: string): string | number | boolean {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^".*"$/.test(t)) {
    try {
      return JSON.parse(t) as string;
    } catch {
      return t;
    }
  }
  return t;
}

/** The constraints object, or the first problem with a row. */
function toConstraints(rows: ConstraintRow[]): { ok: true; value: Record<string, ParamConstraint> } | { ok: false; message: string } {
  const out: Record<string, ParamConstraint> = {};
  for (const [i, r] of rows.entries()) {
    const param = r.param.trim();
    const where = `Constraint ${i + 1}`;
    if (!param) return { ok: false, message: `${where}: name the parameter` };
    if (param in out) return { ok: false, message: `${where}: ${param} is constrained twice` };
    if (!r.value.trim()) return { ok: false, message: `${where}: give a value` };
    if (r.op === "max") {
      const n = Number(r.value);
      if (!Number.isFinite(n)) return { ok: false, message: `${where}: at most needs a number` };
      out[param] = { max: n };
    } else if (r.op === "oneOf") {
      const values = r.value.split(",").map((v) => v.trim()).filter(Boolean).map(scalar);
      out[param] = { oneOf: values };
    } else if (r.op === "glob") {
      out[param] = { glob: r.value.trim() };
    } else {
      out[param] = { equals: scalar(r.value) };
    }
  }
  return { ok: true, value: out };
}

export function GrantDialog({ open, node, onClose }: { open: boolean; node: { id: string; path: string }; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title={`Grant access on ${node.path}`} wide>
      {/* mounted only while open: every opening starts from an empty form */}
      {open ? <GrantForm node={node} onClose={onClose} /> : null}
    </Dialog>
  );
}

function GrantForm({ node, onClose }: { node: { id: string; path: string }; onClose: () => void }) {
  const qc = useQueryClient();
  const roles = useQuery(queries.roles());
  const tools = useQuery(queries.tools());
  const users = useQuery(queries.users());

  const [principalType, setPrincipalType] = useState<"agent" | "user">("agent");
  const [agentId, setAgentId] = useState("");
  const [userId, setUserId] = useState("");
  const [kind, setKind] = useState<"role" | "tool">("role");
  const [role, setRole] = useState("");
  const [tool, setTool] = useState("");
  const [rows, setRows] = useState<ConstraintRow[]>([]);
  const [notBefore, setNotBefore] = useState("");
  const [expiresAt, setExpiresAt] = useState("");
  const [scheduled, setScheduled] = useState(false);
  const [days, setDays] = useState<number[]>([1, 2, 3, 4, 5]);
  const [start, setStart] = useState("09:00");
  const [end, setEnd] = useState("17:00");
  const [timeZone, setTimeZone] = useState("UTC");
  const [requiresApproval, setRequiresApproval] = useState(false);
  const [reason, setReason] = useState("");
  const [formError, setFormError] = useState<string | null>(null);

  const zones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []), []);
  const chosenRole = roles.data?.find((r) => r.name === role);

  const grant = useMutation({
    mutationFn: (body: GrantBody) => apiFetch<GrantView>("/grants", { method: "POST", body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queries.resourcesAll().queryKey });
      onClose();
    },
  });

  const submit = () => {
    setFormError(null);
    const principalId = principalType === "agent" ? agentId : userId;
    if (!principalId) return setFormError(`Choose ${principalType === "agent" ? "an agent" : "a user"}`);
    if (kind === "role" ? !role : !tool) return setFormError(`Choose a ${kind}`);
    const constraints = toConstraints(rows);
    if (!constraints.ok) return setFormError(constraints.message);
    if (notBefore && !utcIso(notBefore)) return setFormError("Not before is not a valid date and time");
    if (expiresAt && !utcIso(expiresAt)) return setFormError("Expires is not a valid date and time");
    if (scheduled && days.length === 0) return setFormError("Choose at least one day for the weekly window");
    grant.mutate({
      principal: { type: principalType, id: principalId },
      ...(kind === "role" ? { role } : { tool }),
      node: node.id,
      constraints: constraints.value,
      ...(notBefore ? { notBefore: utcIso(notBefore) } : {}),
      ...(expiresAt ? { expiresAt: utcIso(expiresAt) } : {}),
      // a time input cannot say 24:00: an end of 00:00 means the end of the day
      ...(scheduled ? { schedule: { days, start, end: end === "00:00" ? "24:00" : end, timeZone: timeZone.trim() || "UTC" } } : {}),
      requiresApproval,
      reason,
    });
  };

  const setRow = (key: number, patch: Partial<ConstraintRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <form
      className="space-y-5"
      data-testid="grant-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="text-sm text-slate-600">
        The grant applies to <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{node.path}</code> and everything below it, never to its
        siblings or ancestors.
      </p>

      <fieldset className="grid gap-4 sm:grid-cols-[10rem_1fr]">
        <legend className="sr-only">Who</legend>
        <Field label="Principal type">
          <Select value={principalType} onChange={(e) => setPrincipalType(e.target.value as "agent" | "user")}>
            <option value="agent">agent</option>
            <option value="user">user</option>
          </Select>
        </Field>
        {principalType === "agent" ? (
          <AgentPicker value={agentId} onChange={setAgentId} withoutKilled />
        ) : (
          <Field label="User">
            <Select value={userId} onChange={(e) => setUserId(e.target.value)} required>
              <option value="">{users.isPending ? "Loading users…" : "Choose a user"}</option>
              {(users.data ?? [])
                .filter((u) => u.status === "active")
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.email}
                  </option>
                ))}
            </Select>
          </Field>
        )}
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-[10rem_1fr]">
        <legend className="sr-only">What</legend>
        <Field label="Grants">
          <Select value={kind} onChange={(e) => setKind(e.target.value as "role" | "tool")}>
            <option value="role">a role</option>
            <option value="tool">a single tool</option>
          </Select>
        </Field>
        {kind === "role" ? (
          <Field label="Role" hint={chosenRole ? `Tools: ${chosenRole.tools.map((t) => t.name).join(", ") || "none"}` : undefined}>
            <Select value={role} onChange={(e) => setRole(e.target.value)} required>
              <option value="">{roles.isPending ? "Loading roles…" : "Choose a role"}</option>
              {(roles.data ?? []).map((r) => (
                <option key={r.id} value={r.name}>
                  {r.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Field label="Tool">
            <Select value={tool} onChange={(e) => setTool(e.target.value)} required>
              <option value="">{tools.isPending ? "Loading tools…" : "Choose a tool"}</option>
              {(tools.data ?? []).map((t) => (
                <option key={t.id} value={t.name}>
                  {t.name} ({t.risk})
                </option>
              ))}
            </Select>
          </Field>
        )}
      </fieldset>
      {roles.isError || tools.isError ? <FormError>Could not load the catalog: {(roles.error ?? tools.error)?.message}</FormError> : null}

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Parameter constraints (optional)</legend>
        {rows.length === 0 ? <p className="text-xs text-slate-500">Without constraints, any parameters are allowed.</p> : null}
        {rows.map((r, i) => (
          <div key={r.key} className="flex items-center gap-2" data-testid={`constraint-${i + 1}`}>
            <Input aria-label={`Parameter ${i + 1}`} placeholder="parameter, e.g. branch" value={r.param} onChange={(e) => setRow(r.key, { param: e.target.value })} className="flex-1" />
            <Select aria-label={`Operator ${i + 1}`} value={r.op} onChange={(e) => setRow(r.key, { op: e.target.value as Operator })} className="w-36">
              {OPERATORS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
            <Input
              aria-label={`Value ${i + 1}`}
              placeholder={r.op === "oneOf" ? "a, b, c" : r.op === "glob" ? "feature-*" : r.op === "max" ? "100" : "value"}
              inputMode={r.op === "max" ? "decimal" : undefined}
              value={r.value}
              onChange={(e) => setRow(r.key, { value: e.target.value })}
              className="flex-1"
            />
            <Button variant="ghost" size="sm" aria-label={`Remove constraint ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
              Remove
            </Button>
          </div>
        ))}
        <div className="flex items-center justify-between gap-4">
          <Button variant="secondary" size="sm" onClick={() => setRows((rs) => [...rs, { key: Date.now() + rs.length, param: "", op: "equals", value: "" }])}>
            Add constraint
          </Button>
          {rows.length ? <span className="text-xs text-slate-500">Numbers and true/false match as such; write &quot;5&quot; to match the text 5.</span> : null}
        </div>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="sr-only">Time window</legend>
        <Field label="Not before (UTC, optional)">
          <Input type="datetime-local" value={notBefore} onChange={(e) => setNotBefore(e.target.value)} />
        </Field>
        <Field label="Expires (UTC, optional)">
          <Input type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
        </Field>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="sr-only">Weekly window</legend>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={scheduled} onChange={(e) => setScheduled(e.target.checked)} />
          Only during a weekly window (e.g. Tuesdays 14:00–16:00 UTC release windows)
        </label>
        {scheduled ? (
          <div className="space-y-3 rounded-lg border border-slate-200 p-3">
            <div className="flex flex-wrap gap-3" role="group" aria-label="Days">
              {WEEKDAYS.map((d, i) => (
                <label key={d} className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    checked={days.includes(i)}
                    onChange={(e) => setDays((ds) => (e.target.checked ? [...ds, i].sort((a, b) => a - b) : ds.filter((x) => x !== i)))}
                  />
                  {d}
                </label>
              ))}
            </div>
            <div className="grid gap-3 sm:grid-cols-3">
              <Field label="From">
                <Input type="time" value={start} onChange={(e) => setStart(e.target.value)} required />
              </Field>
              <Field label="Until" hint="Exclusive; 00:00 is midnight at the day's end.">
                <Input type="time" value={end} onChange={(e) => setEnd(e.target.value)} required />
              </Field>
              <Field label="Time zone">
                <Input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="grant-time-zones" required />
              </Field>
            </div>
            <datalist id="grant-time-zones">
              {["UTC", ...zones].map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
        ) : null}
      </fieldset>

      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={requiresApproval} onChange={(e) => setRequiresApproval(e.target.checked)} />
        Requires a person&apos;s approval for every call under this grant
      </label>

      <Field label="Reason" hint="Recorded with the grant and in the audit trail.">
        <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={500} required />
      </Field>

      <FormError>{formError ?? grant.error?.message}</FormError>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={grant.isPending}>
          {grant.isPending ? "Granting…" : "Grant access"}
        </Button>
      </div>
    </form>
  );
}
