// npm run bench -- token: client_credentials token issuance, Deputy (production build, `npm start`) beside
// node-oidc-provider (bench/peer-oidc-provider.mjs), on the same machine in the same run.
//
// Each server is pinned to CPU 0 and the load generator (autocannon, in a child process) to CPU 1 when taskset is
// available, so "tokens/s" is also "tokens/s per server core". Rounds alternate Deputy, peer, Deputy, peer... so
// that drift on a shared machine hits both; the summary is the median over rounds.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import {
  BenchError,
  detectPinning,
  freePort,
  makeTempDir,
  median,
  ROOT,
  runCommand,
  runLoad,
  startProcess,
  tail,
  waitForHttp200,
} from "./harness.mjs";

const USAGE = `Usage: npm run bench -- token [options]

  --only deputy|peer   measure one side only (default: both, side by side)
  --connections N      concurrent connections (default 16)
  --duration S         seconds per measured run (default 10), after a discarded warm-up
  --warmup S           warm-up seconds (default 2)
  --rounds N           rounds of (Deputy, peer) (default 2); the summary is the median
  --timeout S          overall time limit (default 300)`;

const TARGET_PER_CORE = 1200; // tokens/s on one server core
const TARGET_RATIO = 1.0; // Deputy / oidc-provider
const SCOPE = "bench.read";
const BODY = `grant_type=client_credentials&scope=${encodeURIComponent(SCOPE)}`;
const ADMIN = { email: "bench@deputy.local", password: "bench-password-123" };

export async function main(argv) {
  const opts = parseOptions(argv);
  if (typeof opts === "number") return opts;

  // Bound everything: the exit handler in harness.mjs kills the servers and removes the temp dir.
  setTimeout(() => {
    console.error(`\nbench token: overall timeout (${opts.timeout} s) reached, stopping`);
    process.exit(1);
  }, opts.timeout * 1000).unref();

  const pin = detectPinning();
  console.log(
    pin
      ? `pinning: servers on CPU ${pin.server} (taskset -c ${pin.server}), load generator on CPU ${pin.load} (taskset -c ${pin.load})`
      : "pinning: none (taskset missing or fewer than 2 usable CPUs); per-core figures are not meaningful",
  );
  const loadBefore = os.loadavg()[0];
  if (loadBefore > 0.5) console.log(`note: load average ${loadBefore.toFixed(2)} before the run: other work on these CPUs skews absolute figures; compare the ratio`);
  console.log(`load: autocannon, ${opts.connections} connections, pipelining 1, ${opts.warmup} s warm-up + ${opts.duration} s, ${opts.rounds} round(s)\n`);

  const targets = [];
  if (opts.only !== "peer") targets.push(await startDeputy(pin));
  if (opts.only !== "deputy") targets.push(await startPeer(pin));
  for (const t of targets) await verifyOneToken(t);

  const runs = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const t of targets) {
      process.stdout.write(`round ${round}: ${t.label} ... `);
      const r = await runLoad(t.request, { connections: opts.connections, duration: opts.duration, warmup: opts.warmup, cpu: pin?.load });
      runs.push({ round, name: t.name, ...r });
      console.log(`${fmt(r.okPerSec)} tokens/s${r.non2xx || r.errors ? `  (${r.non2xx} non-2xx, ${r.errors} errors)` : ""}`);
    }
  }

  const summary = summarize(targets, runs, pin);
  printReport(targets, runs, summary, pin);

  const file = path.join(os.tmpdir(), `deputy-bench-token-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  const result = {
    bench: "token",
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cpus: os.availableParallelism(),
    pinning: pin,
    loadAverageBefore: loadBefore,
    options: opts,
    targets: targets.map(({ name, label, tokenUrl, verified }) => ({ name, label, tokenUrl, verified })),
    runs,
    summary,
  };
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nresults written to ${file}`);
  return 0;
}

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        only: { type: "string" },
        connections: { type: "string", default: "16" },
        duration: { type: "string", default: "10" },
        warmup: { type: "string", default: "2" },
        rounds: { type: "string", default: "2" },
        timeout: { type: "string", default: "300" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    console.error(`bench token: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const opts = { only: values.only ?? null };
  for (const key of ["connections", "duration", "warmup", "rounds", "timeout"]) {
    const n = Number(values[key]);
    if (!Number.isInteger(n) || n < (key === "warmup" ? 0 : 1)) {
      console.error(`bench token: --${key} must be a whole number${key === "warmup" ? "" : " >= 1"}\n\n${USAGE}`);
      return 2;
    }
    opts[key] = n;
  }
  if (opts.only !== null && !["deputy", "peer"].includes(opts.only)) {
    console.error(`bench token: --only must be deputy or peer\n\n${USAGE}`);
    return 2;
  }
  // Refuse a plan that cannot fit in the time limit rather than be cut off half-way.
  const sides = opts.only ? 1 : 2;
  const planned = opts.rounds * sides * (opts.warmup + opts.duration + 2) + 90; // + startup allowance
  if (planned > opts.timeout) {
    console.error(`bench token: this plan needs about ${planned} s, over --timeout ${opts.timeout}; raise --timeout`);
    return 2;
  }
  return opts;
}

// -- the servers -------------------------------------------------------------------------------------------------

/** RFC 6749 2.3.1: client_secret_basic is Basic over the form-urlencoded client id and secret. */
function basicAuth(clientId, clientSecret) {
  const formEncode = (s) => new URLSearchParams({ v: s }).toString().slice(2);
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString("base64")}`;
}

function tokenRequest(tokenUrl, clientId, clientSecret) {
  return {
    url: tokenUrl,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(clientId, clientSecret) },
    body: BODY,
  };
}

async function startDeputy(pin) {
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    console.log("deputy: no production build in .next/, running `npx next build` (about 30 s)");
    const b = await runCommand("npx", ["--no-install", "next", "build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, timeoutMs: 180_000 });
    if (b.code !== 0) throw new BenchError(`next build ${b.timedOut ? "timed out" : "failed"}:\n${tail(b.stdout + b.stderr)}`);
  }
  const tmp = makeTempDir("deputy-bench-");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `file:${tmp}/bench.db`,
    DEPUTY_DATA_DIR: tmp,
    NEXTAUTH_URL: url,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
  console.log(`deputy: fresh database in ${tmp}`);

  const step = async (what, args, hint = "") => {
    const r = await runCommand("node", args, { env, timeoutMs: 60_000 });
    if (r.code !== 0) {
      throw new BenchError(`deputy: ${what} ${r.timedOut ? "timed out" : `failed (exit ${r.code})`}${hint}:\n${tail(r.stdout + r.stderr)}`);
    }
    return r.stdout;
  };
  await step("prepare-db", ["scripts/prepare-db.mjs"]);
  await step("seed", ["bin/deputy.mjs", "seed", "--no-demo"]);
  const out = await step(
    "`deputy agent create`",
    ["bin/deputy.mjs", "agent", "create", "--name", "bench-agent", "--owner", ADMIN.email, "--scopes", "bench.read bench.write", "--json"],
    " (is the `agent create` CLI command there yet?)",
  );
  // The whole output is the JSON object; failing that, its last line (in case something printed before it).
  const parse = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  const agent = parse(out) ?? parse(out.trim().split("\n").at(-1));
  if (!agent?.client_id || !agent?.client_secret) {
    throw new BenchError(`deputy: \`agent create --json\` did not print {"id","client_id","client_secret"}; it printed:\n${tail(out)}`);
  }

  const server = startProcess("npm", ["start"], { cpu: pin?.server, env: { ...env, PORT: String(port), HOST: "127.0.0.1" } });
  await waitForHttp200(`${url}/api/health`, server, 60_000);
  console.log(`deputy: serving at ${url} (production build, npm start), agent ${agent.client_id}`);
  return {
    name: "deputy",
    label: "Deputy",
    url,
    tokenUrl: `${url}/oauth/token`,
    request: tokenRequest(`${url}/oauth/token`, agent.client_id, agent.client_secret),
    server,
  };
}

async function startPeer(pin) {
  const clientId = "bench-client";
  const clientSecret = randomBytes(32).toString("base64url");
  const server = startProcess(process.execPath, [path.join(ROOT, "bench/peer-oidc-provider.mjs")], {
    cpu: pin?.server,
    env: { ...process.env, NODE_ENV: "production", PEER_CLIENT_ID: clientId, PEER_CLIENT_SECRET: clientSecret },
  });
  const issuer = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new BenchError(`peer: not ready within 30 s:\n${tail(server.output())}`)), 30_000);
    server.stdout.on("data", () => {
      const m = /^READY (\S+)$/m.exec(server.output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.exited.then(({ code }) => reject(new BenchError(`peer: exited (code ${code}) before it was ready:\n${tail(server.output())}`)));
  });
  const metadata = await getJson(`${issuer}/.well-known/oauth-authorization-server`, "peer");
  console.log(`peer: oidc-provider serving at ${issuer}`);
  return {
    name: "oidc-provider",
    label: "oidc-provider",
    url: issuer,
    tokenUrl: metadata.token_endpoint,
    request: tokenRequest(metadata.token_endpoint, clientId, clientSecret),
    server,
  };
}

async function getJson(url, who) {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status === 404) throw new BenchError(`${who}: GET ${new URL(url).pathname} answered 404: not there yet`);
  if (res.status !== 200) throw new BenchError(`${who}: GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new BenchError(`${who}: GET ${url} did not answer JSON: ${text.slice(0, 300)}`);
  }
}

// -- one token, checked before any load ---------------------------------------------------------------------------

async function verifyOneToken(t) {
  const { url, method, headers, body } = t.request;
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  const where = `POST ${new URL(url).pathname}`;
  if (res.status === 404) {
    throw new BenchError(`${t.label}: ${where} answered 404: the token endpoint is not there yet, nothing to measure`);
  }
  if (res.status !== 200) throw new BenchError(`${t.label}: ${where} answered ${res.status}, expected 200: ${text.slice(0, 300)}`);
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BenchError(`${t.label}: ${where} did not answer JSON: ${text.slice(0, 300)}`);
  }
  const problems = [];
  if (typeof json.access_token !== "string" || json.access_token.split(".").length !== 3) problems.push("access_token is not a JWT");
  if (String(json.token_type).toLowerCase() !== "bearer") problems.push(`token_type is ${JSON.stringify(json.token_type)}, not Bearer`);
  if (!(Number(json.expires_in) > 0)) problems.push(`expires_in is ${JSON.stringify(json.expires_in)}, not > 0`);
  let alg;
  try {
    alg = decodeProtectedHeader(json.access_token).alg;
  } catch {}
  if (alg !== "ES256") problems.push(`the JWT header alg is ${JSON.stringify(alg)}, not ES256`);
  if (problems.length) throw new BenchError(`${t.label}: the token response is not what we measure:\n  ${problems.join("\n  ")}`);

  // The signature, against the keys and issuer the server publishes.
  const metadata = await getJson(`${t.url}/.well-known/oauth-authorization-server`, t.label);
  let payload;
  try {
    ({ payload } = await jwtVerify(json.access_token, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
      issuer: metadata.issuer,
      algorithms: ["ES256"],
    }));
  } catch (e) {
    throw new BenchError(`${t.label}: the access token does not verify against ${metadata.jwks_uri} (issuer ${metadata.issuer}): ${e.message}`);
  }
  t.verified = { iss: payload.iss, aud: payload.aud, scope: payload.scope, expires_in: json.expires_in };
  console.log(`${t.label}: one token verified (ES256, iss ${payload.iss}, aud ${JSON.stringify(payload.aud)}, scope ${JSON.stringify(payload.scope)}, expires_in ${json.expires_in})`);
}

// -- report --------------------------------------------------------------------------------------------------------

function summarize(targets, runs, pin) {
  const per = {};
  for (const t of targets) {
    const mine = runs.filter((r) => r.name === t.name);
    per[t.name] = {
      tokensPerSec: median(mine.map((r) => r.okPerSec)),
      requestsPerSec: median(mine.map((r) => r.requestsPerSec)),
      latencyP50: median(mine.map((r) => r.latencyP50)),
      latencyP99: median(mine.map((r) => r.latencyP99)),
      non2xx: mine.reduce((n, r) => n + r.non2xx, 0),
      errors: mine.reduce((n, r) => n + r.errors, 0),
    };
  }
  const deputy = per.deputy;
  const peer = per["oidc-provider"];
  const clean = deputy && deputy.non2xx === 0 && deputy.errors === 0;
  // With the server pinned to one core, its tokens/s is its tokens/s per core.
  const perCore = deputy && pin ? deputy.tokensPerSec : null;
  const ratio = deputy && peer ? deputy.tokensPerSec / peer.tokensPerSec : null;
  return {
    medians: per,
    deputyTokensPerSecPerCore: perCore,
    ratioDeputyToPeer: ratio,
    targets: {
      perCore: { target: TARGET_PER_CORE, pass: perCore === null ? null : clean && perCore >= TARGET_PER_CORE },
      ratio: { target: TARGET_RATIO, pass: ratio === null ? null : clean && ratio >= TARGET_RATIO },
    },
  };
}

function printReport(targets, runs, summary, pin) {
  const cols = ["round", "server", "req/s mean", "tokens/s", "p50 ms", "p99 ms", "non-2xx", "errors", "Deputy/peer"];
  const widths = [7, 15, 11, 10, 8, 8, 8, 7, 11];
  const row = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  const ratioOf = (round) => {
    const d = runs.find((r) => r.round === round && r.name === "deputy");
    const p = runs.find((r) => r.round === round && r.name === "oidc-provider");
    return d && p ? `${(d.okPerSec / p.okPerSec).toFixed(2)}x` : "";
  };

  console.log(`\n${row(cols)}\n${row(widths.map((w) => "-".repeat(w)))}`);
  for (const r of runs) {
    const label = targets.find((t) => t.name === r.name).label;
    const last = r.name === targets.at(-1).name;
    console.log(row([r.round, label, fmt(r.requestsPerSec), fmt(r.okPerSec), r.latencyP50, r.latencyP99, r.non2xx, r.errors, last ? ratioOf(r.round) : ""]));
  }
  for (const t of targets) {
    const m = summary.medians[t.name];
    const last = t === targets.at(-1);
    const ratio = last && summary.ratioDeputyToPeer !== null ? `${summary.ratioDeputyToPeer.toFixed(2)}x` : "";
    console.log(row(["median", t.label, fmt(m.requestsPerSec), fmt(m.tokensPerSec), m.latencyP50, m.latencyP99, m.non2xx, m.errors, ratio]));
  }
  for (const t of targets) {
    const m = summary.medians[t.name];
    if (m.non2xx || m.errors) {
      const codes = {};
      for (const r of runs.filter((x) => x.name === t.name)) {
        for (const [code, n] of Object.entries(r.statusCodes)) codes[code] = (codes[code] ?? 0) + n;
      }
      console.log(`\nWARNING: ${t.label} answered ${m.non2xx} non-2xx responses and had ${m.errors} errors under load (status codes: ${JSON.stringify(codes)}); tokens/s counts 2xx only`);
    }
  }

  console.log("\ntokens/s per core for the server (server pinned to 1 core):");
  for (const t of targets) {
    console.log(`  ${t.label.padEnd(15)} ${pin ? fmt(summary.medians[t.name].tokensPerSec) : "n/a (not pinned)"}`);
  }

  const verdict = (pass) => (pass === null ? "n/a" : pass ? "PASS" : "FAIL");
  const { perCore, ratio } = summary.targets;
  const d = summary.medians.deputy;
  const dirty = d && (d.non2xx || d.errors) ? " (Deputy had non-2xx responses or errors: FAIL)" : "";
  console.log("\ntargets:");
  console.log(`  >= ${fmt(TARGET_PER_CORE)} tokens/s per core   ${verdict(perCore.pass)}${perCore.pass === null ? (d ? " (server not pinned)" : " (Deputy not measured)") : `  (${fmt(summary.deputyTokensPerSecPerCore)})`}${dirty}`);
  console.log(`  >= ${TARGET_RATIO.toFixed(1)}x oidc-provider        ${verdict(ratio.pass)}${ratio.pass === null ? " (needs both sides)" : `  (${summary.ratioDeputyToPeer.toFixed(2)}x)`}${dirty}`);
}

const fmt = (n) => Math.round(n).toLocaleString("en-US");
