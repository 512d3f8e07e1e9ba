"use client";
// Shows a secret exactly once, with a copy button. Nothing keeps it after the dialog closes.
import { useState } from "react";
import { Button } from "./button";

/** `stored`: how Deputy keeps it, for the notice ("only a hash of it" for secrets it only checks). */
export function SecretReveal({ label, value, stored = "only a hash of it" }: { label: string; value: string; stored?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-2">
      <p className="text-sm text-amber-800">
        Copy the {label} now. Deputy stores {stored} and will never show it again.
      </p>
      <div className="flex items-center gap-2">
        <code data-testid="secret-value" className="flex-1 break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-emerald-300">
          {value}
        </code>
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
