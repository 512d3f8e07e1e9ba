// npm run bench -- audit: what the chained audit write costs a decision, measured two ways, each with rounds that
// alternate "no audit write" and "chained audit write" and print decisions per second side by side.
//
// Over HTTP (the target's measure: decisions are only ever made through the API): the production server with its
// event loop alone on CPU 0, its other threads (the audit append worker among them) and autocannon on CPU 1,
// saturating; both servers up at once and short runs alternating between them; bench/audit-http.mjs. Target: at
// most 10% fewer decisions per second with the audit write. Each run also prints the CPU per decision of the event
// loop and of the other threads, so the write's whole cost shows.
//
// In process: makeDecision() (token verification, snapshot, decide, audit) with a fixed number of calls in flight and
// no HTTP at all, so the audit write is set against the decision core alone (~30 us): the harshest ratio. Not pinned:
// the event loop and the append worker run as they do in an unpinned server. Also prints the CPU time per decision,
// split the same way.
//
// SQLite (fresh files in temp dirs), the default database. No timed assertion anywhere: figures only.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { runAuditHttp } from "./audit-http.mjs";
import { BenchError, detectPinning, makeTempDir, median, ROOT, runCommand, tail } from "./harness.mjs";

const USAGE = `Usage: npm run bench -- audit [options]

  --concurrency N   decisions in flight (default 32)
  --duration S      seconds per measured run (default 3), after a discarded warm-up
  --warmup S        warm-up seconds per run (default 1)
  --rounds N        rounds of (no audit, chained audit) (default 6); the summary is the median
  --timeout S       overall time limit for the in-process part (default 300)
  --http-rounds N   HTTP rounds of (no audit, chained audit), both servers up, runs alternating (default 10)
  --http-duration S seconds per measured HTTP run (default 3)
  --connections N   HTTP connections (default 32: enough that latency does not cap a closed loop)
  --no-http         only the in-process part (the HTTP part needs \`npm run build\` first)`;

const TARGET_MAX_SLOWDOWN = 0.1;

export async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: "string", default: "32" },
      duration: { type: "string", default: "3" },
      warmup: { type: "string", default: "1" },
      rounds: { type: "string", default: "6" },
      timeout: { type: "string", default: "300" },
      "http-rounds": { type: "string", default: "10" },
      "http-duration": { type: "string", default: "3" },
      connections: { type: "string", default: "32" },
      "no-http": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return console.log(USAGE), 0;
  const cfg = { concurrency: Number(values.concurrency), duration: Number(values.duration), warmup: Number(values.warmup), rounds: Number(values.rounds) };
  const timeout = Number(values.timeout);
  if (![cfg.concurrency, cfg.duration, cfg.rounds, timeout].every((v) => Number.isFinite(v) && v > 0) || !(cfg.warmup >= 0)) throw new BenchError(`bad options\n${USAGE}`);
  const http = { rounds: Number(values["http-rounds"]), duration: Number(values["http-duration"]), connections: Number(values.connections), pin: detectPinning() };
  if (![http.rounds, http.duration, http.connections].every((v) => Number.isInteger(v) && v > 0)) throw new BenchError(`bad options\n${USAGE}`);

  const dir = makeTempDir("deputy-bench-audit-");
  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
    DEPUTY_DATA_DIR: dir,
    DEPUTY_MASTER_KEY: randomBytes(32).toString("base64"),
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    NEXTAUTH_URL: "http://127.0.0.1:3000",
  };
  const migrated = await runCommand("npx", ["prisma", "migrate", "deploy"], { env, timeoutMs: 120_000 });
  if (migrated.code !== 0) throw new BenchError(`prisma migrate deploy failed:\n${tail(migrated.stdout + migrated.stderr)}`);
  const file = new Database(path.join(dir, "bench.db"));
  file.pragma("journal_mode = WAL"); // as scripts/prepare-db.mjs sets it for every SQLite database
  file.close();

  console.log(`load: makeDecision() in process, ${cfg.concurrency} in flight, ${cfg.warmup} s warm-up + ${cfg.duration} s per run, ${cfg.rounds} round(s), SQLite (WAL)\n`);
  // BENCH_NODE_ARGS adds flags for the measured process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const r = await runCommand(process.execPath, [...nodeArgs, path.join(ROOT, "bench/audit-worker.mjs")], {
    env: { ...env, BENCH_AUDIT: JSON.stringify(cfg) },
    timeoutMs: timeout * 1000,
  });
  process.stdout.write(r.stderr.split("\n").filter((l) => l.startsWith("round ")).join("\n") + "\n");
  if (r.code !== 0) throw new BenchError(`the measured process ${r.timedOut ? "timed out" : `failed (exit ${r.code})`}:\n${tail(r.stdout + r.stderr)}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop());

  const fmt = (n) => Math.round(n).toLocaleString("en-US");
  const medianOf = (rounds, mode, key) => median(rounds.filter((x) => x.mode === mode).map((x) => x[key]));
  const none = medianOf(out.rounds, "none", "perSecond");
  const chained = medianOf(out.rounds, "chained", "perSecond");
  console.log(`\nin process (makeDecision, no HTTP) ${"decisions/s".padStart(12)} ${"per decision".padStart(13)} ${"CPU per decision".padStart(17)}`);
  console.log(`${"no audit write".padEnd(34)} ${fmt(none).padStart(12)} ${`${(1e6 / none).toFixed(1)} us`.padStart(13)} ${`${medianOf(out.rounds, "none", "cpuUs").toFixed(1)} us`.padStart(17)}`);
  console.log(`${"chained audit write".padEnd(34)} ${fmt(chained).padStart(12)} ${`${(1e6 / chained).toFixed(1)} us`.padStart(13)} ${`${medianOf(out.rounds, "chained", "cpuUs").toFixed(1)} us`.padStart(17)}`);
  console.log(`chained / none in process: ${(chained / none).toFixed(3)} (${((1 - chained / none) * 100).toFixed(1)}% slower than the decision core alone)`);
  console.log(`linking into the chain (canonical JSON + SHA-256): ${out.linkUsPerEvent.toFixed(2)} us per event`);
  console.log(`the chain written by the run verifies: ${out.verify.ok ? "yes" : "NO"} (${out.verify.events.toLocaleString("en-US")} events in ${out.verify.ms} ms)`);
  if (values["no-http"]) return out.verify.ok ? 0 : 1;

  console.log(
    `\nhttp: two production servers, with and without the audit write, runs alternating; ${http.pin ? "their event loops on CPU 0; their other threads (audit append worker, checkpointer, GC helpers) and autocannon on CPU 1" : "servers and autocannon on shared CPUs"}; ${http.connections} connections, saturated, ${http.duration} s per run`,
  );
  const rounds = await runAuditHttp(http);
  const hNone = medianOf(rounds, "none", "perSecond");
  const hChained = medianOf(rounds, "chained", "perSecond");
  const slowdown = 1 - hChained / hNone;
  const us = (mode, key) => {
    const v = medianOf(rounds, mode, key);
    return v === undefined || Number.isNaN(v) ? "-" : `${v.toFixed(0)} us`;
  };
  console.log(`\nover HTTP (the decisions API)      ${"decisions/s".padStart(12)} ${"p50".padStart(8)} ${"p99".padStart(8)} ${"CPU/decision: event loop".padStart(25)} ${"other threads".padStart(14)}`);
  for (const [name, mode, perSecond] of [["no audit write", "none", hNone], ["chained audit write", "chained", hChained]]) {
    console.log(
      `${name.padEnd(34)} ${fmt(perSecond).padStart(12)} ${`${medianOf(rounds, mode, "p50")} ms`.padStart(8)} ${`${medianOf(rounds, mode, "p99")} ms`.padStart(8)} ${us(mode, "loopUs").padStart(25)} ${us(mode, "otherUs").padStart(14)}`,
    );
  }
  // each round's two runs are adjacent in time: their ratio cancels the machine's slow drifts, which move whole rounds
  const paired = [...new Set(rounds.map((x) => x.round))].map((r) => {
    const of = (mode) => rounds.find((x) => x.round === r && x.mode === mode).perSecond;
    return of("chained") / of("none");
  });
  console.log(`chained / none over HTTP: ${(hChained / hNone).toFixed(3)} (${(slowdown * 100).toFixed(1)}% slower)`);
  console.log(`per round (adjacent runs): ${paired.map((x) => x.toFixed(3)).join(", ")}; median ${median(paired).toFixed(3)}`);
  const added = (key) => medianOf(rounds, "chained", key) - medianOf(rounds, "none", key);
  if (Number.isFinite(added("loopUs"))) {
    const total = medianOf(rounds, "none", "loopUs") + medianOf(rounds, "none", "otherUs");
    console.log(
      `the audit write adds per decision: ${added("loopUs").toFixed(0)} us on the event loop, ${added("otherUs").toFixed(0)} us on other threads (${(((added("loopUs") + added("otherUs")) / total) * 100).toFixed(0)}% of a decision's CPU without it)`,
    );
  }
  console.log(`target: at most ${TARGET_MAX_SLOWDOWN * 100}% fewer decisions per second over HTTP: ${slowdown <= TARGET_MAX_SLOWDOWN ? "PASS" : "FAIL"}`);
  return out.verify.ok ? 0 : 1;
}
