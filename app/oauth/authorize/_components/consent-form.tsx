"use client";
// The consent screen: who asks, for what, where and how long; the person narrows and approves, or denies. The answer
// navigates to the agent's redirect URI from script, since the page's CSP allows form posts to Deputy only.
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import type { ConsentScreen } from "@/lib/consents/consent-screen";
import { approveConsent, type ConsentAnswer, denyConsent } from "../actions";

const RISK_TONE = { read: "green", write: "amber", irreversible: "red" } as const;

export function formatDuration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${name}${seconds / size === 1 ? "" : "s"}`;
  }
  return `${seconds} seconds`;
}

export function ConsentForm({ screen, query, userEmail }: { screen: ConsentScreen; query: string; userEmail: string }) {
  const [tools, setTools] = useState(() => new Set(screen.tools.filter((t) => t.held).map((t) => t.name)));
  const [nodeId, setNodeId] = useState(screen.node?.id ?? "");
  const [duration, setDuration] = useState(screen.durationSeconds);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const notHeld = screen.tools.filter((t) => !t.held);
  const where = screen.node ? screen.node.path : "everywhere you have access";

  const answer = (run: () => Promise<ConsentAnswer>) =>
    startTransition(async () => {
      setError(null);
      const result = await run();
      if ("error" in result) setError(result.error);
      else window.location.assign(result.redirectTo);
    });

  return (
    <form
      data-testid="consent-form"
      onSubmit={(e) => {
        e.preventDefault();
        answer(() => approveConsent(query, { tools: [...tools], nodeId: nodeId || null, durationSeconds: duration }));
      }}
      className="space-y-5"
    >
      <div>
        <h1 className="text-xl font-semibold">
          <span data-testid="consent-agent">{screen.agent.name}</span> wants to act on your behalf
        </h1>
        <p className="mt-1 text-sm text-slate-500">
          An AI agent owned by <span data-testid="consent-agent-owner">{screen.agent.ownerEmail}</span>. You are signed in as {userEmail}. It will
          never get more than you hold yourself, and you can revoke this at any time under Connected agents.
        </p>
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Tools it may call</legend>
        <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="consent-tools">
          {screen.tools.map((t) => (
            <li key={t.name} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
              <label className={`flex items-center gap-2 ${t.held ? "" : "text-slate-400"}`}>
                <input
                  type="checkbox"
                  aria-label={t.name}
                  disabled={!t.held}
                  checked={tools.has(t.name)}
                  onChange={(e) =>
                    setTools((prev) => {
                      const next = new Set(prev);
                      if (e.target.checked) next.add(t.name);
                      else next.delete(t.name);
                      return next;
                    })
                  }
                />
                <code>{t.name}</code>
              </label>
              <span className="flex items-center gap-2">
                {t.held ? null : <span className="text-xs text-slate-500">you do not hold it</span>}
                <Badge tone={RISK_TONE[t.risk]}>{t.risk}</Badge>
              </span>
            </li>
          ))}
        </ul>
        {notHeld.length > 0 ? (
          <p data-testid="consent-not-held" className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            You do not hold {notHeld.map((t) => t.name).join(", ")} on {where}. You cannot delegate what you lack, so the agent will not get{" "}
            {notHeld.length === 1 ? "it" : "them"}.
          </p>
        ) : null}
      </fieldset>

      <Field label="Where" hint="The agent may act only on this resource and below it. Choose a narrower one if you like.">
        <Select value={nodeId} onChange={(e) => setNodeId(e.target.value)} data-testid="consent-node">
          {screen.node ? null : <option value="">Everywhere you have access</option>}
          {screen.nodeChoices.map((n) => (
            <option key={n.id} value={n.id}>
              {n.path}
            </option>
          ))}
        </Select>
      </Field>

      <Field label="For how long" hint="Its tokens stop working when this ends, or when you revoke it.">
        <Select value={duration} onChange={(e) => setDuration(Number(e.target.value))} data-testid="consent-duration">
          {screen.durationChoices.map((d) => (
            <option key={d} value={d}>
              {formatDuration(d)}
              {d === screen.durationSeconds ? " (requested)" : ""}
            </option>
          ))}
        </Select>
      </Field>

      {screen.resource ? (
        <p className="text-sm text-slate-500">
          For use at <code data-testid="consent-resource">{screen.resource}</code>
        </p>
      ) : null}

      {error ? (
        <p role="alert" data-testid="consent-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}

      <div className="flex justify-end gap-2">
        <Button variant="secondary" disabled={pending} onClick={() => answer(() => denyConsent(query))}>
          Deny
        </Button>
        <Button type="submit" disabled={pending || tools.size === 0}>
          {pending ? "Working…" : "Approve"}
        </Button>
      </div>
    </form>
  );
}
