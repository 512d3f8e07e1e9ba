// One WAL checkpointer thread per process and SQLite file (sqlite-checkpoint-worker.mjs). Connections that answer
// requests keep SQLite's automatic checkpoint only as a safety net far beyond what the thread lets the WAL reach.
import { Worker } from "node:worker_threads";
import { workerScript } from "@/lib/worker-script";

export const CHECKPOINT_INTERVAL_MS = 500;
/** The automatic checkpoint's threshold (pages of 4 KiB) while the thread runs: 40 MiB, reached only if it stalls. */
export const SAFETY_NET_PAGES = 10_000;

const g = globalThis as unknown as { __deputyWalCheckpointers?: Map<string, Worker> };

/** Starts the thread for `file` unless it runs already. False when it cannot run (then SQLite's defaults stay). */
export function startWalCheckpointer(file: string): boolean {
  const running = (g.__deputyWalCheckpointers ??= new Map());
  if (running.has(file)) return true;
  const script = workerScript("lib/db/sqlite-checkpoint-worker.mjs");
  if (!script) return false;
  const worker = new Worker(script, { workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS } });
  worker.unref(); // never keeps a process alive
  worker.on("error", () => running.delete(file));
  worker.on("exit", () => running.delete(file));
  running.set(file, worker);
  return true;
}
