// Runs the sender inside the server process: started once per process by instrumentation.ts, it polls for due
// deliveries every second, and kickWebhookWorker() makes it look at once (call it after the transaction that
// queued a delivery commits). Several instances may each run one: claims keep them from sending a delivery twice.
// Its timers are unref'd, so it never keeps a process alive on its own.
import { getDb } from "@/lib/db/client";
import { logUnexpected } from "@/lib/errors/log";
import { DEFAULT_BATCH, sendDueWebhooks } from "./deliver";

export const POLL_INTERVAL_MS = 1_000;

type WorkerState = { timer: NodeJS.Timeout; running: boolean; again: boolean };

// on globalThis: Next may load this module in more than one bundle of the same process
const g = globalThis as unknown as { __deputyWebhookWorker?: WorkerState };

async function tick(state: WorkerState): Promise<void> {
  if (state.running) {
    state.again = true; // a kick during a run: go round once more instead of overlapping
    return;
  }
  state.running = true;
  try {
    do {
      state.again = false;
      const { claimed } = await sendDueWebhooks(getDb(), { limit: DEFAULT_BATCH });
      if (claimed === DEFAULT_BATCH) state.again = true; // a full batch: there may be more due now
    } while (state.again);
  } catch (e) {
    logUnexpected("webhook worker", e);
  } finally {
    state.running = false;
  }
}

/** Starts the worker unless this process already runs one; returns whether it started. */
export function startWebhookWorker(): boolean {
  if (g.__deputyWebhookWorker) return false;
  const state: WorkerState = { timer: undefined as unknown as NodeJS.Timeout, running: false, again: false };
  state.timer = setInterval(() => void tick(state), POLL_INTERVAL_MS);
  state.timer.unref();
  g.__deputyWebhookWorker = state;
  return true;
}

export function stopWebhookWorker(): void {
  const state = g.__deputyWebhookWorker;
  if (!state) return;
  clearInterval(state.timer);
  g.__deputyWebhookWorker = undefined;
}

/** Sends due deliveries now rather than at the next poll. A no-op where no worker runs (CLI, tests). */
export function kickWebhookWorker(): void {
  const state = g.__deputyWebhookWorker;
  if (state) void tick(state);
}
