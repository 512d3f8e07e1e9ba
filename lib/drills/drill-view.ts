// What leaves the server about a kill-switch drill: its outcome, time to effect, and each step with its time.
import type { KillDrill } from "@/generated/sqlite/client";

export type DrillStep = { step: string; at: string; ok: boolean; detail: string };

export type DrillView = {
  id: string;
  status: "running" | "passed" | "failed";
  startedById: string | null;
  canaryAgentId: string | null;
  steps: DrillStep[];
  /** from pulling the switch until both introspection and decisions refused the canary's token */
  timeToEffectMs: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

/** A drill passes when the kill switch took effect in less than this. */
export const DRILL_PASS_MS = 1_000;

export function toDrillView(d: KillDrill): DrillView {
  return {
    id: d.id,
    status: d.status as DrillView["status"],
    startedById: d.startedById,
    canaryAgentId: d.canaryAgentId,
    steps: JSON.parse(d.steps) as DrillStep[],
    timeToEffectMs: d.timeToEffectMs,
    error: d.error,
    startedAt: d.startedAt.toISOString(),
    finishedAt: d.finishedAt?.toISOString() ?? null,
  };
}
