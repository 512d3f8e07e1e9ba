// The load generator, run as a child process (pinned to its own CPU by harness.mjs runLoad). Reads its job from
// BENCH_LOAD (JSON: url, method, headers, body or bodiesFile, connections, duration or amount, warmup, rate), runs autocannon once
// for the warm-up (discarded) and once measured, and prints one JSON line with the summary on stdout. The bodies in
// `bodiesFile` (a JSON array) are sent in turn, one per request; `rate` caps the requests per second offered over all connections (a steady load).
import fs from "node:fs";
import autocannon from "autocannon";

const job = JSON.parse(process.env.BENCH_LOAD);
const options = {
  url: job.url,
  method: job.method,
  headers: job.headers,
  body: job.body,
  connections: job.connections,
  pipelining: 1,
  timeout: 10, // seconds per request before it counts as a timeout (an error)
  ...(job.rate ? { overallRate: job.rate } : {}),
};
if (job.bodiesFile) {
  const bodies = JSON.parse(fs.readFileSync(job.bodiesFile, "utf8"));
  let next = 0;
  options.requests = [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }];
}

if (job.warmup > 0) await autocannon({ ...options, duration: job.warmup });
// `amount`: exactly that many requests instead of a duration (a pass over every body once)
const r = await autocannon(job.amount ? { ...options, amount: job.amount } : { ...options, duration: job.duration });

const seconds = r.duration; // the measured run's actual length, in seconds
console.log(
  JSON.stringify({
    requestsPerSec: r.requests.mean, // mean of the per-second samples, every status included
    okPerSec: r["2xx"] / seconds, // 2xx responses (issued tokens) per second
    latencyP50: r.latency.p50, // ms
    latencyP99: r.latency.p99, // ms
    total: r.requests.total,
    ok: r["2xx"],
    non2xx: r.non2xx,
    errors: r.errors, // connection errors and timeouts
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
    seconds,
  }),
);
