// npm run bench -- audit: what the chained audit write costs a decision. makeDecision() runs in process (token
// verification, snapshot, decide, audit) on one pinned CPU, with a fixed number of calls in flight, in rounds that
// alternate "no audit write" and "chained audit write" (the real group-commit batcher: one BEGIN IMMEDIATE
// transaction per batch, one chain head read and update per batch, a SHA-256 per row). Prints decisions per second
// side by side and the ratio. Target: the chained audit write costs at most 10%.
//
// SQLite (a fresh file in a temp dir), the default database. No timed assertion anywhere: figures only.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { BenchError, detectPinning, makeTempDir, median, ROOT, runCommand, tail } from "./harness.mjs";

const USAGE = `Usage: npm run bench -- audit [options]

  --concurrency N   decisions in flight (default 32)
  --duration S      seconds per measured run (default 3), after a discarded warm-up
  --warmup S        warm-up seconds per run (default 1)
  --rounds N        rounds of (no audit, chained audit) (default 6); the summary is the median
  --timeout S       overall time limit (default 300)`;

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
      help: { type: "boolean" },
    },
  });
  if (values.help) return console.log(USAGE), 0;
  const cfg = { concurrency: Number(values.concurrency), duration: Number(values.duration), warmup: Number(values.warmup), rounds: Number(values.rounds) };
  const timeout = Number(values.timeout);
  if (![cfg.concurrency, cfg.duration, cfg.rounds, timeout].every((v) => Number.isFinite(v) && v > 0) || !(cfg.warmup >= 0)) throw new BenchError(`bad options\n${USAGE}`);

  const pin = detectPinning();
  console.log(pin ? `pinning: the measured process on CPU ${pin.server} (taskset -c ${pin.server})` : "pinning: none (taskset missing or fewer than 2 usable CPUs)");

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
  const r = await runCommand(process.execPath, [path.join(ROOT, "bench/audit-worker.mjs")], {
    env: { ...env, BENCH_AUDIT: JSON.stringify(cfg) },
    cpu: pin?.server,
    timeoutMs: timeout * 1000,
  });
  process.stdout.write(r.stderr.split("\n").filter((l) => l.startsWith("round ")).join("\n") + "\n");
  if (r.code !== 0) throw new BenchError(`the measured process ${r.timedOut ? "timed out" : `failed (exit ${r.code})`}:\n${tail(r.stdout + r.stderr)}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop());

  const none = median(out.rounds.filter((x) => x.mode === "none").map((x) => x.perSecond));
  const chained = median(out.rounds.filter((x) => x.mode === "chained").map((x) => x.perSecond));
  const slowdown = 1 - chained / none;
  const fmt = (n) => Math.round(n).toLocaleString("en-US");
  console.log(`\n${"".padEnd(26)} ${"decisions/s".padStart(12)} ${"per decision".padStart(13)}`);
  console.log(`${"no audit write".padEnd(26)} ${fmt(none).padStart(12)} ${`${(1e6 / none).toFixed(1)} us`.padStart(13)}`);
  console.log(`${"chained audit write".padEnd(26)} ${fmt(chained).padStart(12)} ${`${(1e6 / chained).toFixed(1)} us`.padStart(13)}`);
  console.log(`\nchained / none: ${(chained / none).toFixed(3)} (${(slowdown * 100).toFixed(1)}% slower; the audit write adds ${(1e6 / chained - 1e6 / none).toFixed(1)} us per decision)`);
  console.log(`of which linking into the chain (canonical JSON + SHA-256): ${out.linkUsPerEvent.toFixed(2)} us per event`);
  console.log(`the chain written by the run verifies: ${out.verify.ok ? "yes" : "NO"} (${out.verify.events.toLocaleString("en-US")} events in ${out.verify.ms} ms)`);
  console.log(`target: at most ${TARGET_MAX_SLOWDOWN * 100}% slower: ${slowdown <= TARGET_MAX_SLOWDOWN ? "PASS" : "FAIL"}`);
  return out.verify.ok ? 0 : 1;
}
