// The HTTP half of `npm run bench -- decisions`: the same synthetic world written into a fresh SQLite database, the
// production server (node server.mjs) with its event loop alone on one CPU, real access tokens from /oauth/token, and
// the load generators on the other CPU (with the server's helper threads) sending POST /api/v1/decisions with a
// rotating set of questions, authenticated as a registered resource server. Every decision is audited, exactly as in
// production.
//
// Reported: how long the server takes to load the 1M-grant snapshot at start-up, p50/p99 at a steady offered rate (the target:
// p99 <= 10 ms), and the saturation throughput with its latencies.
//
// Questions are those of the in-process run whose principals are one agent: on-behalf-of tokens come from the
// delegation flows, which a client_credentials bench cannot mint.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import { BenchError, freePort, makeTempDir, pinThreads, ROOT, runCommand, runLoad, runSteady, startProcess, stopProcess, tail, waitForHttp200 } from "./harness.mjs";

const iso = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");
const WEEK_MS = 7 * 24 * 3_600_000;
const AUDIENCE = "https://bench.deputy.test/tools";

/** Writes the world into a migrated SQLite file with plain prepared statements: 1M rows take seconds, not minutes. */
export function writeWorld(file, world, { hashSecret, syntheticNowMs }) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = iso(Date.now());
  // grant windows keep their place relative to "now", shifted by whole weeks so schedules keep their weekday and hour
  const shift = Math.round((Date.now() - syntheticNowMs) / WEEK_MS) * WEEK_MS;
  const { snapshot } = world;
  const ownerId = "usr_bench_owner";
  const secrets = new Map(); // agent id -> client secret
  const rsSecret = `dpr_${randomBytes(32).toString("base64url")}`;

  db.transaction(() => {
    db.prepare(`INSERT INTO "User" (id, email, role, createdAt, updatedAt) VALUES (?, ?, 'admin', ?, ?)`).run(ownerId, "owner@bench.test", now, now);
    const user = db.prepare(`INSERT INTO "User" (id, email, role, createdAt, updatedAt) VALUES (?, ?, 'viewer', ?, ?)`);
    const agent = db.prepare(
      `INSERT INTO "Agent" (id, name, ownerId, kind, status, tokenTtlSeconds, allowedScopes, createdAt, updatedAt) VALUES (?, ?, ?, 'autonomous', 'active', 3600, ?, ?, ?)`,
    );
    const secret = db.prepare(`INSERT INTO "ClientSecret" (id, agentId, hash, last4, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)`);
    const allTools = [...snapshot.tools.keys()].join(" ");
    for (const [key, label] of snapshot.labels) {
      const [type, id] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
      if (type === "user") user.run(id, label, now, now);
      else {
        agent.run(id, label, ownerId, allTools, now, now);
        const s = `dps_${randomBytes(32).toString("base64url")}`;
        secrets.set(id, s);
        secret.run(`sec_${id}`, id, hashSecret(s), s.slice(-4), now, iso(Date.now() + 30 * 24 * 3_600_000));
      }
    }

    const nodeType = db.prepare(`INSERT OR IGNORE INTO "NodeType" (name, icon, builtIn, createdAt) VALUES (?, 'folder', 0, ?)`);
    const node = db.prepare(`INSERT INTO "ResourceNode" (id, parentId, type, name, idPath, depth, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const idPath = new Map();
    // the synthetic world lists parents before children (level by level)
    for (const n of snapshot.nodes.values()) {
      const p = n.parentId ? idPath.get(n.parentId) : "";
      const mine = `${p}${n.id}/`;
      idPath.set(n.id, mine);
      nodeType.run(n.type, now);
      node.run(n.id, n.parentId, n.type, n.name, mine, mine.split("/").length - 2, now, now);
    }

    const tool = db.prepare(`INSERT INTO "Tool" (id, name, description, paramsSchema, risk, createdAt, updatedAt) VALUES (?, ?, '', '{}', ?, ?, ?)`);
    for (const t of snapshot.tools.values()) tool.run(t.id, t.name, t.risk, now, now);
    // roles are the tool sets that grants share
    const roleIds = new Map();
    const role = db.prepare(`INSERT INTO "Role" (id, name, description, builtIn, createdAt, updatedAt) VALUES (?, ?, '', 0, ?, ?)`);
    const roleTool = db.prepare(`INSERT INTO "RoleTool" (roleId, toolId) VALUES (?, ?)`);
    const grant = db.prepare(
      `INSERT INTO "Grant" (id, principalType, principalId, roleId, toolId, nodeId, constraints, notBefore, expiresAt, schedule, requiresApproval, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const list of snapshot.grantsByPrincipal.values()) {
      for (const g of list) {
        let roleId = null;
        let toolId = null;
        const [kind, name] = [g.via.slice(0, g.via.indexOf(" ")), g.via.slice(g.via.indexOf(" ") + 1)];
        if (kind === "role") {
          roleId = roleIds.get(name);
          if (!roleId) {
            roleId = `rol_${name.toLowerCase()}`;
            roleIds.set(name, roleId);
            role.run(roleId, name, now, now);
            for (const t of g.tools) roleTool.run(roleId, snapshot.tools.get(t).id);
          }
        } else toolId = snapshot.tools.get(name).id;
        const at = (ms) => (ms === null ? null : iso(ms + shift));
        grant.run(
          g.id,
          g.principal.type,
          g.principal.id,
          roleId,
          toolId,
          g.nodeId,
          JSON.stringify(g.constraints),
          at(g.notBefore),
          at(g.expiresAt),
          g.schedule ? JSON.stringify(g.schedule) : null,
          g.requiresApproval ? 1 : 0,
          now,
        );
      }
    }

    db.prepare(`INSERT INTO "ResourceServer" (id, name, audience, description, status, createdAt, updatedAt) VALUES ('rsv_bench', 'bench tools', ?, '', 'active', ?, ?)`).run(
      AUDIENCE,
      now,
      now,
    );
    db.prepare(`INSERT INTO "ResourceServerSecret" (id, resourceServerId, hash, last4, createdAt, expiresAt) VALUES ('rss_bench', 'rsv_bench', ?, ?, ?, ?)`).run(
      hashSecret(rsSecret),
      rsSecret.slice(-4),
      now,
      iso(Date.now() + 30 * 24 * 3_600_000),
    );
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { secrets, rsSecret };
}

async function fetchToken(url, clientId, clientSecret) {
  const res = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "client_credentials", resource: AUDIENCE }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new BenchError(`token for ${clientId}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * A fresh SQLite database with the world written into it, and a function that starts the production server on it.
 * world: the synthetic world; core: { hashSecret, syntheticNowMs }.
 */
export async function prepareWorldDatabase(world, core) {
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID")) || !fs.existsSync(path.join(ROOT, ".next/deputy-fast-path.mjs"))) {
    throw new BenchError("no production build in .next/: run `npm run build` first");
  }
  const tmp = makeTempDir("deputy-bench-decisions-");
  const file = path.join(tmp, "bench.db");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `file:${file}`,
    DEPUTY_DATA_DIR: tmp,
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    HOST: "127.0.0.1",
    PORT: String(port),
    DEPUTY_PERF_LOG: "1",
  };
  const prep = await runCommand("node", ["scripts/prepare-db.mjs"], { env, timeoutMs: 120_000 });
  if (prep.code !== 0) throw new BenchError(`prepare-db failed:\n${tail(prep.stdout + prep.stderr)}`);

  const t0 = performance.now();
  const { secrets, rsSecret } = writeWorld(file, world, core);
  console.log(`\nhttp: world written to SQLite in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(file).size / 1e6).toFixed(0)} MB)`);
  const headers = { "content-type": "application/json", authorization: `Bearer ${rsSecret}` };

  /**
   * Starts the server (extra node flags, e.g. --cpu-prof or a preload) and waits until its snapshot is loaded. On
   * another port than the first (`port`), a second server shares the database and keys: the tokens work on both.
   * databaseFile: another database than the world's (a copy of it, see copyDatabase).
   * perfLog: false leaves out the `perf:` lines and the 1 ms loop-delay timer behind them (an idle server's wake-ups).
   */
  async function startServer({ nodeArgs = [], cpu, port: own, databaseFile, perfLog = true } = {}) {
    const at = own ? `http://127.0.0.1:${own}` : url;
    const serverEnv = { ...env, ...(own ? { PORT: String(own) } : {}), ...(databaseFile ? { DATABASE_URL: `file:${databaseFile}` } : {}), DEPUTY_PERF_LOG: perfLog ? "1" : "0" };
    const server = startProcess("node", ["--max-old-space-size=8192", ...nodeArgs, "server.mjs"], { env: serverEnv, cpu });
    await waitForHttp200(`${at}/api/health`, server, 120_000);
    // the server loads the decision snapshot at start-up and says how long it took
    const deadline = Date.now() + 300_000;
    let loadedLine;
    while (!(loadedLine = /Decision snapshot loaded: .*/.exec(server.output())?.[0]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (!loadedLine) throw new BenchError(`the server did not load its decision snapshot:\n${tail(server.output())}`);
    return { server, loadedLine };
  }

  /** Request bodies for the questions whose principal is one agent, with a token for each agent (from the server). */
  async function questionBodies(requests) {
    const asked = requests.filter((r) => r.principals.length === 1 && r.principals[0].type === "agent");
    const agents = [...new Set(asked.map((r) => r.principals[0].id))];
    const tokens = new Map();
    for (const id of agents) tokens.set(id, await fetchToken(url, id, secrets.get(id)));
    const bodies = asked.map((r) => JSON.stringify({ token: tokens.get(r.principals[0].id), tool: r.tool, resource: r.nodeId, params: r.params }));
    // the bodies go to the load generator in a file: too many for its environment
    const bodiesFile = path.join(tmp, "bodies.json");
    fs.writeFileSync(bodiesFile, JSON.stringify(bodies));
    return { bodies, agents, request: { url: `${url}/api/v1/decisions`, method: "POST", headers, bodiesFile } };
  }

  /** A consistent copy of the world's database as it is now (the server may be running), for a second server. */
  async function copyDatabase() {
    const copy = path.join(tmp, `copy-${randomBytes(4).toString("hex")}.db`);
    const db = new Database(file, { readonly: true });
    try {
      await db.backup(copy);
    } finally {
      db.close();
    }
    return copy;
  }

  return { url, headers, startServer, questionBodies, copyDatabase };
}

/** The steady open-loop run against bench/noop-server.mjs, pinned where the server's event loop was. */
async function runFloor(request, opts) {
  const port = await freePort();
  const noop = startProcess("node", [path.join(ROOT, "bench/noop-server.mjs"), String(port)], { cpu: opts.pin?.server });
  try {
    await waitForHttp200(`http://127.0.0.1:${port}/`, noop, 10_000);
    return await runSteady({ ...request, url: `http://127.0.0.1:${port}/api/v1/decisions` }, { connections: opts.connections, duration: opts.duration, warmup: 3, cpu: opts.pin?.load, rate: opts.rate });
  } finally {
    await stopProcess(noop);
  }
}

/**
 * world: the synthetic world; core: { hashSecret, syntheticNowMs }; requests: in-process sample requests.
 * opts: { rate, duration, connections, pin }.
 */
export async function runHttp(world, core, requests, opts) {
  const { url, headers, startServer, questionBodies } = await prepareWorldDatabase(world, core);
  // BENCH_NODE_ARGS adds flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where time goes
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const { server, loadedLine } = await startServer({ nodeArgs, cpu: opts.pin?.server });
  // one question per agent principal with a token
  const { bodies, agents, request } = await questionBodies(requests);
  console.log(`http: ${loadedLine} (at start-up)`);

  // what the questions come to, from a pass over the first few hundred
  const outcomes = { allow: 0, deny: 0, approval_required: 0 };
  for (const body of bodies.slice(0, 300)) {
    const res = await fetch(`${url}/api/v1/decisions`, { method: "POST", headers, body });
    const d = await res.json();
    if (res.status !== 200) throw new BenchError(`decision: HTTP ${res.status} ${JSON.stringify(d)}`);
    outcomes[d.decision]++;
  }
  console.log(`http: ${bodies.length} distinct questions from ${agents.length} agents; of the first 300: ${outcomes.allow} allow, ${outcomes.deny} deny, ${outcomes.approval_required} approval`);

  // Every question once before measuring: a first call opens its approval request (a locked write) and an agent's
  // first calls raise first-use alerts; what is measured after is the steady state of a running server.
  const first = await runLoad(request, { connections: opts.connections, amount: bodies.length, cpu: opts.pin?.load });
  console.log(`http: first pass over the ${bodies.length} questions: ${first.requestsPerSec.toFixed(0)} req/s, p50 ${first.latencyP50} ms, p99 ${first.latencyP99} ms`);
  // The event loop keeps CPU 0 to itself from here; the server's other threads (the audit append worker, the WAL
  // checkpointer, V8's GC helpers), all started by now, join the load generator on CPU 1, as on any host with more
  // than one core. Pinned to one CPU with them, the loop would also wait for their slices.
  if (opts.pin) pinThreads(server.pid, opts.pin.server, opts.pin.load);

  // one question at a time on one keep-alive connection: the latency of a decision with no queue in front of it
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const one = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(`${url}/api/v1/decisions`, { method: "POST", headers, agent }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  const alone = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await one(bodies[i % bodies.length]);
    alone.push(performance.now() - t);
  }
  agent.destroy();
  alone.sort((a, b) => a - b);
  const at = (p) => alone[Math.min(alone.length - 1, Math.floor((p / 100) * alone.length))].toFixed(2);
  console.log(`http: one at a time (1,000 sequential): p50 ${at(50)} ms, p99 ${at(99)} ms`);
  // the server's own view of each phase: its `perf:` lines (5 s windows) printed while the phase ran
  const perfLines = (from, to) =>
    server
      .output()
      .split("\n")
      .map((l) => /^perf: t=(\d+) (n=[1-9].*)$/.exec(l))
      .filter((m) => m && Number(m[1]) > from && Number(m[1]) <= to)
      .map((m) => m[2]);
  let mark = Date.now();
  // the steady rate twice: the lean open-loop client (timed from each request's due time), then autocannon
  const lean = await runSteady(request, { connections: opts.connections, duration: opts.duration, warmup: 3, cpu: opts.pin?.load, rate: opts.rate });
  const leanPerf = perfLines(mark + 3_000, Date.now());
  mark = Date.now();
  const steady = await runLoad(request, { connections: opts.connections, duration: opts.duration, warmup: 3, cpu: opts.pin?.load, rate: opts.rate });
  const steadyPerf = perfLines(mark + 3_000, Date.now());
  mark = Date.now();
  const saturated = await runLoad(request, { connections: opts.connections, duration: opts.duration, warmup: 2, cpu: opts.pin?.load });
  const saturatedPerf = perfLines(mark + 2_000, Date.now());
  for (const r of [lean, steady, saturated]) {
    if (r.errors || r.non2xx) throw new BenchError(`load run had ${r.errors ?? 0} errors and ${r.non2xx} non-2xx answers: ${JSON.stringify(r.statusCodes ?? {})}`);
  }
  console.log(`\nHTTP decisions (production server's event loop on ${opts.pin ? "CPU 0, its other threads and the load on CPU 1" : "shared CPUs"}, ${opts.connections} connections, every decision audited)`);
  console.log(`${"load".padEnd(26)} ${"req/s".padStart(8)} ${"p50".padStart(9)} ${"p99".padStart(9)}`);
  const row = (name, r) => console.log(`${name.padEnd(26)} ${r.requestsPerSec.toFixed(0).padStart(8)} ${`${r.latencyP50} ms`.padStart(9)} ${`${r.latencyP99} ms`.padStart(9)}`);
  row(`steady ${opts.rate}/s, open loop`, lean);
  row(`steady ${opts.rate}/s, autocannon`, steady);
  row("saturated, autocannon", saturated);
  // the machine's floor: the same client, rate and connections against a server that does nothing, on the same CPU
  await stopProcess(server);
  const floor = await runFloor(request, opts);
  row(`same, no-op server (floor)`, floor);
  console.log(`target p99 <= 10 ms over HTTP at ${opts.rate} req/s (open-loop client): ${lean.latencyP99 <= 10 ? "PASS" : "FAIL"} (${lean.latencyP99} ms; max ${lean.latencyMax} ms)`);
  console.log("\ninside the server (5 s windows: fast-path latency from request to answer, and event-loop delay, in ms):");
  for (const [name, lines] of [["open loop", leanPerf], ["autocannon", steadyPerf], ["saturated", saturatedPerf]]) for (const l of lines) console.log(`  ${name.padEnd(10)} ${l}`);
  return { lean, steady, saturated };
}
