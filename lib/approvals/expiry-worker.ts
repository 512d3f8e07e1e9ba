// Runs the expiry sweep inside the server process, started once per process by instrumentation.ts. Expiry never
// depends on it (every use case compares expiresAt with now); it records the expiry event and the approval.decided
// webhook for requests nobody looks at again. Several instances may each run one: the conditional update in
// expireApproval records each expiry once. The timer is unref'd, so it never keeps a process alive on its own.
import { getDb } from "@/lib/db/client";
import { logUnexpected } from "@/lib/errors/log";
import { expireDueApprovals } from "./expire-approvals";

export const SWEEP_INTERVAL_MS = 15_000;

const g = globalThis as unknown as { __deputyApprovalExpiry?: { timer: NodeJS.Timeout; running: boolean } };

/** Starts the sweep unless this process already runs it; returns whether it started. */
export function startApprovalExpiryWorker(): boolean {
  if (g.__deputyApprovalExpiry) return false;
  const state = { timer: undefined as unknown as NodeJS.Timeout, running: false };
  state.timer = setInterval(async () => {
    if (state.running) return;
    state.running = true;
    try {
      await expireDueApprovals(getDb());
    } catch (e) {
      logUnexpected("approval expiry sweep", e);
    } finally {
      state.running = false;
    }
  }, SWEEP_INTERVAL_MS);
  state.timer.unref();
  g.__deputyApprovalExpiry = state;
  return true;
}
