// Plumbing shared by the benchmarks: free ports, CPU pinning, child processes in their own process groups that are
// killed whenever we exit (normally, on an error, on Ctrl-C or on the overall timeout), and a load run in a pinned
// child process. Everything binds to 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A failure with a message meant for the user: printed without a stack trace, exit code 1. */
export class BenchError extends Error {
  name = "BenchError";
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup: every child is the leader of its own process group (detached), so killing -pgid also takes down what it
// spawned (npm -> node scripts/start.mjs -> npx -> next start). Temp dirs are removed after the processes are gone.

const groups = new Set(); // pgids of the children we started
const tempDirs = new Set();

function killAllSync(signal) {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // already gone
    }
  }
}

function removeTempDirsSync() {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on("exit", () => {
  killAllSync("SIGKILL");
  removeTempDirsSync();
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping the servers`);
    process.exit(130); // the exit handler kills and cleans up
  });
}

/** Gracefully stops every child group (SIGTERM, then SIGKILL after graceMs) and removes the temp dirs. */
export async function stopAll(graceMs = 3000) {
  killAllSync("SIGTERM");
  const deadline = Date.now() + graceMs;
  const alive = (pgid) => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (Date.now() < deadline && [...groups].some(alive)) await sleep(100);
  killAllSync("SIGKILL");
  groups.clear();
  removeTempDirsSync();
}

/** Stops one child group started by startProcess (SIGTERM, then SIGKILL after graceMs) and waits for it to exit. */
export async function stopProcess(child, graceMs = 5000) {
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
  groups.delete(child.pid);
}

export function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// Pinning: the server on CPU 0, the load generator on CPU 1, when taskset exists and both CPUs are usable here.

export function detectPinning() {
  const usable = (cpu) => spawnSync("taskset", ["-c", cpu, "true"], { stdio: "ignore" }).status === 0;
  return usable("0") && usable("1") ? { server: "0", load: "1" } : null;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes

/**
 * Starts cmd in its own process group, optionally pinned to one CPU. Keeps the last 20 kB of its output in
 * child.output() so that a failure can show what the process said.
 */
export function startProcess(cmd, args, { cpu, env = process.env, cwd = ROOT, priority } = {}) {
  let [file, argv] = cpu === undefined ? [cmd, args] : ["taskset", ["-c", cpu, cmd, ...args]];
  // Load generators share a CPU with the server's helper threads, and neither may bend what is measured.
  // "high": ahead of everything else on its CPU (only root may raise it): a fixed rate must not send late or time
  // late because of those threads. "low": behind them: a saturating generator must not take the CPU the server's
  // audit writer needs (it would stall the server it measures; on a host of its own that writer has a core to itself).
  const nice = priority === "high" ? (process.getuid?.() === 0 ? LOAD_NICE_HIGH : undefined) : priority === "low" ? LOAD_NICE_LOW : undefined;
  if (nice !== undefined) [file, argv] = ["nice", ["-n", String(nice), file, ...argv]];
  const child = spawn(file, argv, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.add(child.pid);
  let output = "";
  // BENCH_OUTPUT_LOG=<file>: every child's output also goes there whole (e.g. with BENCH_NODE_ARGS=--trace-gc)
  const log = process.env.BENCH_OUTPUT_LOG;
  const keep = (chunk) => {
    if (log) fs.appendFileSync(log, chunk);
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.output = () => output;
  child.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  child.on("error", (e) => keep(`\n${e.message}\n`));
  return child;
}

const LOAD_NICE_HIGH = -10;
const LOAD_NICE_LOW = 10;

/** Runs a command to completion within timeoutMs; resolves { code, timedOut, stdout, stderr }. */
export function runCommand(cmd, args, { env, timeoutMs = 60_000, cpu, priority } = {}) {
  const child = startProcess(cmd, args, { env, cpu, priority });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }, timeoutMs);
  return child.exited.then(({ code }) => {
    clearTimeout(timer);
    groups.delete(child.pid);
    return { code, timedOut, stdout, stderr };
  });
}

/** Polls url until it answers 200; fails early if the server process exits. */
export async function waitForHttp200(url, child, timeoutMs) {
  let exited = null;
  child.exited.then((r) => (exited = r));
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (exited) throw new BenchError(`the server exited (code ${exited.code}) before ${url} answered 200:\n${tail(child.output())}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(250);
  }
  throw new BenchError(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last}):\n${tail(child.output())}`);
}

export function tail(text, lines = 25) {
  return text.trimEnd().split("\n").slice(-lines).map((l) => `    | ${l}`).join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Load: autocannon runs in a child process (bench/load-worker.mjs) so that it can sit on its own CPU.

/**
 * One measured autocannon run, after a discarded warm-up. request: { url, method, headers, body or bodiesFile };
 * opts: { connections, duration (or amount: that many requests), warmup, cpu, rate (requests per second offered, else
 * as fast as it goes) }. Resolves a summary (see load-worker.mjs).
 */
export async function runLoad(request, { connections, duration, warmup = 0, cpu, rate, amount }) {
  const config = JSON.stringify({ ...request, connections, duration, warmup, rate, amount });
  const budgetMs = ((amount ? 300 : duration) + warmup + 30) * 1000;
  const r = await runCommand(process.execPath, [path.join(ROOT, "bench/load-worker.mjs")], {
    cpu,
    // a fixed rate is light work that must not be delayed; a saturating run yields to the server's threads
    priority: rate ? "high" : "low",
    env: { ...process.env, BENCH_LOAD: config },
    timeoutMs: budgetMs,
  });
  if (r.code !== 0) throw new Error(`the load generator ${r.timedOut ? "timed out" : `failed (exit ${r.code})`}:\n${tail(r.stdout + r.stderr)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/**
 * The steady-rate run with the lean open-loop client (bench/steady-client.mjs): request i is due at i / rate and
 * timed from then. request: { url, headers, bodiesFile }; opts: { connections, duration, warmup, cpu, rate }.
 */
export async function runSteady(request, { connections, duration, warmup = 0, cpu, rate }) {
  const config = JSON.stringify({ ...request, connections, duration, warmup, rate });
  const r = await runCommand(process.execPath, [path.join(ROOT, "bench/steady-client.mjs")], {
    cpu,
    priority: "high",
    env: { ...process.env, BENCH_STEADY: config },
    timeoutMs: (duration + warmup + 60) * 1000,
  });
  if (r.code !== 0) throw new Error(`the steady client ${r.timedOut ? "timed out" : `failed (exit ${r.code})`}:\n${tail(r.stdout + r.stderr)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/**
 * Pins a running process's main thread (the event loop) to one CPU and every other thread it has now (worker
 * threads, GC helpers, libuv's pool) to another. Threads started later inherit their creator's CPU.
 */
export function pinThreads(pid, mainCpu, othersCpu) {
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const cpu = tid === String(pid) ? mainCpu : othersCpu;
    const r = spawnSync("taskset", ["-p", "-c", cpu, tid], { stdio: "ignore" });
    if (r.status !== 0 && fs.existsSync(`/proc/${pid}/task/${tid}`)) throw new BenchError(`taskset could not pin thread ${tid} to CPU ${cpu}`);
  }
}

/**
 * CPU time (ms) a process has used so far, split into its main thread and all its other threads (worker threads,
 * GC helpers, libuv's pool), from /proc/<pid>/task/<tid>/schedstat (nanoseconds). null where /proc has no such file.
 */
export function threadCpuMs(pid = process.pid) {
  try {
    let main = 0;
    let others = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      let ns;
      try {
        ns = Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        continue; // the thread ended meanwhile
      }
      if (tid === String(pid)) main += ns / 1e6;
      else others += ns / 1e6;
    }
    return { main, others };
  } catch {
    return null;
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
