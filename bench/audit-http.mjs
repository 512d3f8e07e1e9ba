// The HTTP half of `npm run bench -- audit`: decisions per second the production server answers with its audit
// write and without it. One small synthetic world in one SQLite file; the server (node server.mjs) pinned to CPU 0,
// with everything it runs, the audit append worker thread included, so the audit write's whole CPU cost counts
// against the decisions; autocannon on CPU 1, saturating. Rounds alternate a server started as usual and one started
// with bench/no-audit-preload.mjs, which swaps the batcher for one that writes nothing.
import { randomBytes } from "node:crypto";
import { loadCore } from "./decisions.mjs";
import { prepareWorldDatabase } from "./decisions-http.mjs";
import { BenchError, ROOT, runLoad, stopProcess } from "./harness.mjs";

export async function runAuditHttp({ rounds, duration, connections, pin }) {
  // the server and this process hash the bench's secrets under the same master key
  process.env.DEPUTY_MASTER_KEY ??= randomBytes(32).toString("base64");
  const { syntheticWorld, hashSecret, SYNTHETIC_NOW_MS } = await loadCore();
  const world = syntheticWorld({ nodes: 10_000, grants: 100_000, depth: 6, seed: 7 });
  const { startServer, questionBodies } = await prepareWorldDatabase(world, { hashSecret, syntheticNowMs: SYNTHETIC_NOW_MS });
  const requests = world.sampleRequests(5_000);

  let prepared;
  const results = [];
  for (let r = 1; r <= rounds; r++) {
    for (const mode of r % 2 ? ["none", "chained"] : ["chained", "none"]) {
      // BENCH_NODE_ARGS adds flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
      const extra = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
      const nodeArgs = mode === "none" ? [...extra, "--import", `${ROOT}/bench/no-audit-preload.mjs`] : extra;
      const { server } = await startServer({ nodeArgs, cpu: pin?.server });
      try {
        // tokens once, from the first server (they stay valid: same database, same keys)
        prepared ??= await questionBodies(requests);
        // every question once (first calls open approval requests and raise first-use alerts), then a warm-up
        await runLoad(prepared.request, { connections, amount: prepared.bodies.length, cpu: pin?.load });
        const run = await runLoad(prepared.request, { connections, duration, warmup: 2, cpu: pin?.load });
        if (run.errors || run.non2xx) throw new BenchError(`load run had ${run.errors} errors and ${run.non2xx} non-2xx answers`);
        results.push({ round: r, mode, perSecond: run.requestsPerSec, p50: run.latencyP50, p99: run.latencyP99 });
        console.log(`http round ${r}: ${mode === "none" ? "no audit write  " : "chained audit   "} ${Math.round(run.requestsPerSec).toLocaleString("en-US")} decisions/s (p50 ${run.latencyP50} ms, p99 ${run.latencyP99} ms)`);
      } finally {
        await stopProcess(server);
      }
    }
  }
  return results;
}
