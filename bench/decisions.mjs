// npm run bench -- decisions: the decision core on a synthetic world of 100,000 nodes (depth 6) and 1,000,000 grants,
// in process, and in the same run the same questions answered by casbin (RBAC with a resource-hierarchy role link,
// g2) over the same tree and grants. Prints p50/p99 per decision and the ratio. Target: p99 <= 2 ms in process.
//
// casbin's model is plain RBAC on a hierarchy: it sees who holds which tool set on which node, not time windows,
// schedules or parameter constraints (Deputy checks those too), so the comparison favours casbin.
// Then the same world over HTTP against the production build (bench/decisions-http.mjs; target p99 <= 10 ms).
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { newEnforcer, newModelFromString } from "casbin";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { runHttp } from "./decisions-http.mjs";
import { BenchError, detectPinning, ROOT } from "./harness.mjs";

// inside the repository, so that the bundle's package imports (zod) resolve from node_modules
const OUTFILE = path.join(ROOT, "node_modules", ".cache", "deputy-bench", "authz-core.mjs");

const HELP = `Usage: npm run bench -- decisions [--nodes N] [--grants N] [--depth D] [--samples N] [--casbin-samples N] [--casbin-seconds S] [--seed S]
       [--no-http] [--rate R] [--connections C] [--duration S]   (HTTP: needs \`npm run build\` first)`;

export async function loadCore() {
  // the TypeScript core, bundled on the fly: the benchmark measures exactly the code the server runs
  const out = await build({
    stdin: {
      contents:
        'export { syntheticWorld, SYNTHETIC_NOW_MS } from "./lib/authz/synthetic"; export { decide } from "./lib/authz/decide"; export { hashSecret } from "./lib/crypto/secret-hash";',
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: OUTFILE,
    alias: { "@": ROOT },
    packages: "external",
    logLevel: "warning",
  });
  void out;
  return import(pathToFileURL(OUTFILE).href);
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} us`);

function timeEach(requests, fn) {
  const times = new Float64Array(requests.length);
  for (let i = 0; i < requests.length; i++) {
    const t0 = process.hrtime.bigint();
    fn(requests[i]);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return Array.from(times).sort((a, b) => a - b);
}

const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
g2 = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.sub == p.sub && g2(r.obj, p.obj) && g(r.act, p.act)
`;

export async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: "string", default: "100000" },
      grants: { type: "string", default: "1000000" },
      depth: { type: "string", default: "6" },
      samples: { type: "string", default: "20000" },
      "casbin-samples": { type: "string", default: "30" },
      "casbin-seconds": { type: "string", default: "90" },
      seed: { type: "string", default: "7" },
      "no-http": { type: "boolean" },
      rate: { type: "string", default: "500" },
      connections: { type: "string", default: "16" },
      duration: { type: "string", default: "15" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return console.log(HELP), 0;
  const opts = { nodes: Number(values.nodes), grants: Number(values.grants), depth: Number(values.depth), seed: Number(values.seed) };
  if (!Object.values(opts).every((v) => Number.isInteger(v) && v > 0)) throw new BenchError(`bad options\n${HELP}`);

  // the server and this process hash the bench's secrets under the same master key
  process.env.DEPUTY_MASTER_KEY ??= randomBytes(32).toString("base64");
  const { syntheticWorld, decide, hashSecret, SYNTHETIC_NOW_MS } = await loadCore();
  let t0 = performance.now();
  const world = syntheticWorld(opts);
  console.log(`world: ${opts.nodes.toLocaleString()} nodes, depth ${opts.depth}, ${opts.grants.toLocaleString()} grants, ${world.principals.length} principals (built in ${(performance.now() - t0).toFixed(0)} ms)`);

  const requests = world.sampleRequests(Number(values.samples));
  for (const r of requests.slice(0, 2000)) decide(world.snapshot, r, world.now); // warm up the JIT
  const outcomes = { allow: 0, deny: 0, approval_required: 0 };
  for (const r of requests) outcomes[decide(world.snapshot, r, world.now).decision]++;
  const deputy = timeEach(requests, (r) => decide(world.snapshot, r, world.now));

  // casbin over the same data: one policy per grant (principal, node, tool set), tool -> tool set links (g), and
  // node -> parent links (g2). Tool sets are shared, as roles are.
  t0 = performance.now();
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  const setIds = new Map();
  const policies = [];
  const toolLinks = [];
  for (const [key, grants] of world.snapshot.grantsByPrincipal) {
    for (const g of grants) {
      let id = setIds.get(g.tools);
      if (!id) {
        id = `set${setIds.size}`;
        setIds.set(g.tools, id);
        for (const t of g.tools) toolLinks.push([t, id]);
      }
      policies.push([key, g.nodeId, id]);
    }
  }
  const parents = [];
  for (const n of world.snapshot.nodes.values()) if (n.parentId) parents.push([n.id, n.parentId]);
  await enforcer.addGroupingPolicies(toolLinks);
  await enforcer.addNamedGroupingPolicies("g2", parents);
  await enforcer.addPolicies(policies);
  console.log(`casbin: ${policies.length.toLocaleString()} policies, ${parents.length.toLocaleString()} hierarchy links (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  // casbin answers one subject at a time: a request with several principals is several enforce() calls, all true
  // casbin scans every policy per enforce(): seconds each at this size, so it gets a sample count and a time budget
  const casbinRequests = requests.slice(0, Number(values["casbin-samples"]));
  const casbinTimes = [];
  const budgetEnd = performance.now() + Number(values["casbin-seconds"]) * 1000;
  for (const r of casbinRequests) {
    if (performance.now() > budgetEnd) break;
    const s = process.hrtime.bigint();
    for (const p of r.principals) if (!(await enforcer.enforce(`${p.type}:${p.id}`, r.nodeId, r.tool))) break;
    casbinTimes.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  casbinTimes.sort((a, b) => a - b);

  const rows = [
    ["Deputy decide()", deputy],
    ["casbin enforce()", casbinTimes],
  ];
  console.log(`\nin-process decisions (${requests.length.toLocaleString()} Deputy samples: ${outcomes.allow} allow, ${outcomes.deny} deny, ${outcomes.approval_required} approval; ${casbinTimes.length} casbin samples)`);
  console.log(`${"engine".padEnd(18)} ${"p50".padStart(10)} ${"p99".padStart(10)} ${"max".padStart(10)}`);
  for (const [name, t] of rows) console.log(`${name.padEnd(18)} ${fmt(pct(t, 50)).padStart(10)} ${fmt(pct(t, 99)).padStart(10)} ${fmt(t.at(-1)).padStart(10)}`);
  console.log(`\ncasbin p50 / Deputy p50: ${(pct(casbinTimes, 50) / pct(deputy, 50)).toFixed(0)}x`);
  console.log(`target p99 <= 2 ms in process: ${pct(deputy, 99) <= 2000 ? "PASS" : "FAIL"} (${fmt(pct(deputy, 99))})`);

  if (!values["no-http"]) {
    const http = { rate: Number(values.rate), connections: Number(values.connections), duration: Number(values.duration), pin: detectPinning() };
    if (!Object.values(http).slice(0, 3).every((v) => Number.isInteger(v) && v > 0)) throw new BenchError(`bad options\n${HELP}`);
    await runHttp(world, { hashSecret, syntheticNowMs: SYNTHETIC_NOW_MS }, requests, http);
  }
  return 0;
}
