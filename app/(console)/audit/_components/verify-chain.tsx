"use client";
// "Verify chain": walks the whole audit hash chain on the server and shows the verdict, naming the first bad row.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import type { ChainVerification } from "@/lib/audit/verify-chain";

/** Seconds since `running` turned true, ticking while it stays true: a long walk shows it is still going. */
function useElapsedSeconds(running: boolean) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 500);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

export function VerifyChain() {
  const verify = useMutation({ mutationFn: () => apiFetch<ChainVerification>("/audit-events/verify", { method: "POST" }) });
  const elapsed = useElapsedSeconds(verify.isPending);
  const r = verify.data;

  return (
    <div className="flex flex-wrap items-center gap-3" data-testid="verify-chain">
      <Button variant="secondary" disabled={verify.isPending} onClick={() => verify.mutate()}>
        {verify.isPending ? "Verifying…" : "Verify chain"}
      </Button>
      {verify.isPending ? (
        <span role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand" aria-hidden />
          Checking every event&apos;s hash, link and signed checkpoint{elapsed ? ` (${elapsed} s)` : ""}
        </span>
      ) : verify.isError ? (
        <span role="alert" className="text-sm text-red-700">
          Could not verify: {verify.error instanceof Error ? verify.error.message : "unknown error"}
        </span>
      ) : r?.ok ? (
        <span role="status" data-testid="verify-result" className="text-sm text-emerald-700">
          Chain intact: {r.checkedEvents.toLocaleString()} events and {r.checkpointsVerified.toLocaleString()} signed checkpoints checked in{" "}
          {r.durationMs.toLocaleString()} ms
          {r.legacyEvents ? `; ${r.legacyEvents.toLocaleString()} older events predate the chain (unchained legacy rows)` : ""}.
        </span>
      ) : r?.problem ? (
        <span role="alert" data-testid="verify-result" className="text-sm text-red-700">
          <strong>Chain broken ({r.problem.kind.replace("_", " ")}):</strong> {r.problem.message}
          {r.problem.eventId ? (
            <>
              {" "}
              Event <code>{r.problem.eventId}</code>
              {r.problem.seq !== null ? `, seq ${r.problem.seq}` : ""}.
            </>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}
