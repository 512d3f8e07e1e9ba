"use client";
// The denial burst threshold of the anomaly rules: an alert when one agent is denied `count` times within `minutes`.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/data-table";
import { Field, Input } from "@/components/ui/field";
import type { AlertSettings } from "@/lib/alerts/settings";

export function AlertSettingsCard({ initial }: { initial: AlertSettings }) {
  const [saved, setSaved] = useState(initial.denialBurst);
  const [count, setCount] = useState(String(initial.denialBurst.count));
  const [minutes, setMinutes] = useState(String(initial.denialBurst.minutes));
  const save = useMutation({
    mutationFn: () => apiFetch<AlertSettings>("/settings/alerts", { method: "PUT", body: { denialBurst: { count: Number(count), minutes: Number(minutes) } } }),
    onSuccess: (s) => setSaved(s.denialBurst),
  });
  const changed = String(saved.count) !== count || String(saved.minutes) !== minutes;
  return (
    <section data-testid="alert-settings" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="font-semibold">Anomaly alerts</h2>
      <p className="mt-1 text-sm text-slate-500">
        A burst of denials raises one alert per window: now {saved.count} denials of one agent within {saved.minutes} minute{saved.minutes === 1 ? "" : "s"}.
      </p>
      <form
        className="mt-4 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Denials">
          <Input type="number" min={2} max={100000} required value={count} onChange={(e) => setCount(e.target.value)} className="w-28" />
        </Field>
        <Field label="Within minutes">
          <Input type="number" min={1} max={1440} required value={minutes} onChange={(e) => setMinutes(e.target.value)} className="w-28" />
        </Field>
        <Button type="submit" variant="secondary" disabled={!changed || save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
      </form>
      <div className="mt-2">
        <FormError>{save.isError ? save.error.message : null}</FormError>
      </div>
    </section>
  );
}
