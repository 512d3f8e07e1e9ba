// One WAL checkpointer thread per process and SQLite file (sqlite-checkpoint-worker.mjs). Connections that answer
// requests keep SQLite's automatic checkpoint only as a safety net far beyond what the thread lets the WAL reach.
import { Worker } from "node:worker_threads";
import { workerScript } from "@/lib/worker-script";

export const CHECKPOINT_INTERVAL_MS = 500;
/** A WAL this long (frames of 4 KiB), fully copied, is restarted from its start by the thread: 16 MiB. */
export const RESTART_AFTER_FRAMES = 4_096;
/**
 * The automatic checkpoint's threshold (pages of 4 KiB) while the thread runs: 400 MiB, reached only if it stalls.
 * At 10,000 it was reached under load (the WAL restarts only when no reader is in it), and the audit writer then ran
 * a whole checkpoint with two fsyncs inside a batch that decisions were waiting for.
 */
export const SAFETY_NET_PAGES = 100_000;

const g = globalThis as unknown as { __deputyWalCheckpointers?: Map<string, Worker> };

/** Starts the thread for `file` unless it runs already. False when it cannot run (then SQLite's defaults stay). */
export function startWalCheckpointer(file: string): boolean {
  const running = (g.__deputyWalCheckpointers ??= new Map());
  if (running.has(file)) return true;
  const script = workerScript("lib/db/sqlite-checkpoint-worker.mjs");
  if (!script) return false;
  const worker = new Worker(script, { workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS, restartAfterFrames: RESTART_AFTER_FRAMES } });
  worker.unref(); // never keeps a process alive
  worker.on("error", () => running.delete(file));
  worker.on("exit", () => running.delete(file));
  running.set(file, worker);
  return true;
}
