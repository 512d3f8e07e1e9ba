// A lean open-loop load generator for the steady-rate run, run as a child process pinned to its own CPU (like
// load-worker.mjs). Request i is due at start + i / rate whatever happened before it, and its latency is counted from
// that due time to the end of the answer: a client that falls behind, or a server that stalls, shows in the figures
// (no coordinated omission). Per request it does only what sending and timing need, so its own event loop adds
// little to what it measures, unlike autocannon, whose per-request work shows in its p99 at this rate.
// Job in BENCH_STEADY (JSON): url, headers, bodiesFile, rate, duration, warmup, connections. Prints one JSON line.
import fs from "node:fs";
import http from "node:http";

const job = JSON.parse(process.env.BENCH_STEADY);
const bodies = JSON.parse(fs.readFileSync(job.bodiesFile, "utf8")).map((b) => Buffer.from(b));
const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
const url = new URL(job.url);

function send(body) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers: { ...job.headers, "content-length": body.length } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function run(seconds, record) {
  const total = Math.round(seconds * job.rate);
  const latencies = [];
  const statuses = new Map();
  const start = performance.now();
  let next = 0;
  let pending = 0;
  await new Promise((done) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / job.rate <= now) {
        const due = start + (next * 1000) / job.rate;
        const body = bodies[next % bodies.length];
        next++;
        pending++;
        send(body).then((status) => {
          if (record) latencies.push(performance.now() - due);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (--pending === 0 && next === total) done();
        });
      }
      if (next < total) setTimeout(tick, Math.max(0, start + (next * 1000) / job.rate - performance.now()));
    };
    tick();
  });
  return { latencies, statuses, seconds: (performance.now() - start) / 1000 };
}

if (job.warmup > 0) await run(job.warmup, false);
const { latencies, statuses, seconds } = await run(job.duration, true);
latencies.sort((a, b) => a - b);
const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
console.log(
  JSON.stringify({
    requestsPerSec: latencies.length / seconds,
    latencyP50: Number(at(50).toFixed(2)),
    latencyP99: Number(at(99).toFixed(2)),
    latencyMax: Number(latencies.at(-1).toFixed(2)),
    total: latencies.length,
    non2xx: [...statuses].filter(([s]) => s < 200 || s > 299).reduce((n, [, c]) => n + c, 0),
  }),
);
agent.destroy();
