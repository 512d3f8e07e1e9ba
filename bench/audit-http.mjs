// The HTTP half of `npm run bench -- audit`: decisions per second the production server answers with its audit
// write and without it, and the CPU each decision costs, by thread. One small synthetic world in one SQLite file.
//
// Where things run: each server's event loop on CPU 0. That loop is what bounds a Node server's decisions per
// second, and it is where the audit write must cost little. The servers' other threads (the audit append worker,
// the WAL checkpointer, GC helpers) are moved to CPU 1 once they exist, next to autocannon, which saturates the
// server it is pointed at. What those threads spend is not hidden: each run also reports the CPU per decision of the
// event loop and of all other threads, from /proc.
//
// Both servers run at once, each on its own copy of the world's database: one started as usual, one started with
// bench/no-audit-preload.mjs, which swaps the batcher for one that writes nothing. Short runs alternate between
// them (the order flips every round), so the two runs of a round are seconds apart and the machine's drifts, which
// on a shared VM move throughput by a third from one minute to the next, fall on both alike. The server not under
// load is idle.
import { randomBytes } from "node:crypto";
import { loadCore } from "./decisions.mjs";
import { prepareWorldDatabase } from "./decisions-http.mjs";
import { BenchError, freePort, pinThreads, ROOT, runLoad, stopProcess, threadCpuMs } from "./harness.mjs";

const WARMUP_SECONDS = 2;

export async function runAuditHttp({ rounds, duration, connections, pin }) {
  // the servers and this process hash the bench's secrets under the same master key
  process.env.DEPUTY_MASTER_KEY ??= randomBytes(32).toString("base64");
  const { syntheticWorld, hashSecret, SYNTHETIC_NOW_MS } = await loadCore();
  const world = syntheticWorld({ nodes: 10_000, grants: 100_000, depth: 6, seed: 7 });
  const { url, startServer, questionBodies, copyDatabase } = await prepareWorldDatabase(world, { hashSecret, syntheticNowMs: SYNTHETIC_NOW_MS });
  const requests = world.sampleRequests(5_000);
  // BENCH_NODE_ARGS adds flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  const extra = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);

  const servers = new Map();
  try {
    // The audited server on the world's own port and database, where the tokens are issued (audited too); then the
    // other on a copy of that database, made once the tokens exist: the two share no file, no WAL and no checkpoints.
    const chained = await startServer({ nodeArgs: extra, cpu: pin?.server, perfLog: false });
    servers.set("chained", { server: chained.server, base: url });
    const prepared = await questionBodies(requests);
    const port = await freePort();
    const none = await startServer({ nodeArgs: [...extra, "--import", `${ROOT}/bench/no-audit-preload.mjs`], cpu: pin?.server, port, databaseFile: await copyDatabase(), perfLog: false });
    servers.set("none", { server: none.server, base: `http://127.0.0.1:${port}` });
    for (const s of servers.values()) {
      s.request = { ...prepared.request, url: `${s.base}/api/v1/decisions` };
      // every question once (first calls open approval requests and raise first-use alerts; the first audit batch
      // starts the append worker), then the helpers move off the event loop's CPU, then a warm-up
      await runLoad(s.request, { connections, amount: prepared.bodies.length, cpu: pin?.load });
      if (pin) pinThreads(s.server.pid, pin.server, pin.load);
      await runLoad(s.request, { connections, duration: WARMUP_SECONDS, cpu: pin?.load });
    }

    const results = [];
    for (let r = 1; r <= rounds; r++) {
      for (const mode of r % 2 ? ["none", "chained"] : ["chained", "none"]) {
        const { server, request } = servers.get(mode);
        const cpu0 = threadCpuMs(server.pid);
        const run = await runLoad(request, { connections, duration, cpu: pin?.load });
        const cpu1 = threadCpuMs(server.pid);
        if (run.errors || run.non2xx) throw new BenchError(`load run had ${run.errors} errors and ${run.non2xx} non-2xx answers`);
        // CPU time is only counted while a thread runs, so autocannon's start-up (server idle) adds nothing to it
        const cpu = cpu0 && cpu1 ? { loopUs: ((cpu1.main - cpu0.main) * 1000) / run.total, otherUs: ((cpu1.others - cpu0.others) * 1000) / run.total } : {};
        results.push({ round: r, mode, perSecond: run.requestsPerSec, p50: run.latencyP50, p99: run.latencyP99, ...cpu });
        const cpuText = cpu.loopUs === undefined ? "" : `; CPU per decision: event loop ${cpu.loopUs.toFixed(0)} us, other threads ${cpu.otherUs.toFixed(0)} us`;
        console.log(
          `http round ${String(r).padStart(2)}: ${mode === "none" ? "no audit write  " : "chained audit   "} ${Math.round(run.requestsPerSec).toLocaleString("en-US")} decisions/s (p50 ${run.latencyP50} ms, p99 ${run.latencyP99} ms${cpuText})`,
        );
      }
    }
    return results;
  } finally {
    for (const { server } of servers.values()) await stopProcess(server);
  }
}
