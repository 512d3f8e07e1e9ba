// One WAL checkpointer thread per process and SQLite file (sqlite-checkpoint-worker.mjs). Connections that answer
// requests keep SQLite's automatic checkpoint only as a safety net far beyond what the thread lets the WAL reach.
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

export const CHECKPOINT_INTERVAL_MS = 500;
/** The automatic checkpoint's threshold (pages of 4 KiB) while the thread runs: 40 MiB, reached only if it stalls. */
export const SAFETY_NET_PAGES = 10_000;
// Resolved from the working directory, like relative SQLite paths: the server, tests and CLI run from the repository
// root, and a bundle's own location (.next/...) says nothing about where lib/ is.
const WORKER_FILE = path.resolve("lib/db/sqlite-checkpoint-worker.mjs");

const g = globalThis as unknown as { __deputyWalCheckpointers?: Map<string, Worker> };

/** Starts the thread for `file` unless it runs already. False when it cannot run (then SQLite's defaults stay). */
export function startWalCheckpointer(file: string): boolean {
  const running = (g.__deputyWalCheckpointers ??= new Map());
  if (running.has(file)) return true;
  if (!existsSync(WORKER_FILE)) return false;
  const worker = new Worker(WORKER_FILE, { workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS } });
  worker.unref(); // never keeps a process alive
  worker.on("error", () => running.delete(file));
  worker.on("exit", () => running.delete(file));
  running.set(file, worker);
  return true;
}
