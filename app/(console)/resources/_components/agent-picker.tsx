"use client";
// Chooses an agent: a select of the first 100 agents by name, narrowed by a filter box (GET /agents?q=).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { queries } from "@/components/queries";
import { useDebounced } from "@/components/use-debounced";
import { Input, Select } from "@/components/ui/field";

export function AgentPicker({
  label = "Agent",
  value,
  onChange,
  withoutKilled = false,
}: {
  label?: string;
  value: string;
  onChange: (id: string) => void;
  /** killed agents cannot be granted anything */
  withoutKilled?: boolean;
}) {
  const id = useId();
  const [filter, setFilter] = useState("");
  const q = useDebounced(filter.trim());
  const agents = useQuery({ ...queries.agentOptions(q), placeholderData: keepPreviousData });
  const list = (agents.data ?? []).filter((a) => !withoutKilled || a.status !== "killed");
  // a choice the filter no longer shows is dropped, so that the select never shows one agent and means another
  const missing = !agents.isPlaceholderData && agents.isSuccess && value !== "" && !list.some((a) => a.id === value);
  useEffect(() => {
    if (missing) onChange("");
  }, [missing, onChange]);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex gap-2">
        <Select id={id} value={value} onChange={(e) => onChange(e.target.value)} required className="min-w-0 flex-1">
          <option value="">{agents.isPending ? "Loading agents…" : list.length ? "Choose an agent" : q ? "No agents match" : "No agents yet"}</option>
          {list.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.status !== "active" ? ` (${a.status})` : ""}
            </option>
          ))}
        </Select>
        <Input type="search" aria-label={`Filter ${label.toLowerCase()}s`} placeholder="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} className="max-w-32" />
      </div>
      {agents.isError ? <span className="text-xs text-red-700">Could not load agents: {agents.error.message}</span> : null}
    </div>
  );
}
