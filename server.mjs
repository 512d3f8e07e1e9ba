// The production server: Next.js for everything, except the hot OAuth endpoints, which go straight to their plain
// handlers (lib/fast-path/handlers.ts) without Next's per-request pipeline or web Request/Response objects; see
// docs/performance.md for what that buys.
// HOST and PORT choose where to listen (0.0.0.0:3000).
import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import next from "next";

const host = process.env.HOST || "0.0.0.0";
const port = Number(process.env.PORT || 3000);
process.env.NODE_ENV = "production";

const app = next({ dev: false, hostname: host, port });
await app.prepare();
const nextHandler = app.getRequestHandler();
const { fastRoutes, nodeHeaders, warmUp } = await import(new URL("./.next/deputy-fast-path.mjs", import.meta.url).href);

/** The body as one buffer, or null past the limit (reading stops there; the connection closes after the answer). */
function readBody(req, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        req.pause();
        return resolve(null);
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

// DEPUTY_PERF_LOG=1: every 5 s, the fast path's latency inside this process (from the request to the end of the
// answer) and the event loop's delay, as one `perf:` line. For benchmarks (bench/decisions-http.mjs reads them): it
// tells the server's own time apart from the load generator's.
const perf = process.env.DEPUTY_PERF_LOG === "1" ? await startPerfLog() : null;

async function startPerfLog() {
  const { monitorEventLoopDelay } = await import("node:perf_hooks");
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const state = { latencies: [] };
  setInterval(() => {
    const a = state.latencies.sort((x, y) => x - y);
    const at = (p) => (a.length ? a[Math.min(a.length - 1, Math.floor(p * a.length))].toFixed(2) : "-");
    const ms = (ns) => (ns / 1e6).toFixed(2);
    console.log(
      `perf: t=${Date.now()} n=${a.length} latency p50=${at(0.5)} p99=${at(0.99)} max=${at(1)} loop-delay p50=${ms(loop.percentile(50))} p99=${ms(loop.percentile(99))} max=${ms(loop.max)}`,
    );
    state.latencies = [];
    loop.reset();
  }, 5_000).unref();
  return state;
}

// Calls the plain handler with what it needs from Node's request and writes its answer: no web Request/Response.
async function serveFast({ handler, maxBodyBytes }, req, res) {
  const started = perf ? performance.now() : 0;
  const body = await readBody(req, maxBodyBytes);
  // Next sets X-Forwarded-For from the socket when absent; do the same so client-address.ts sees the same thing
  if (!req.headers["x-forwarded-for"]) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  const result = await handler({ headers: nodeHeaders(req.headers), body });
  res.writeHead(result.status, { ...result.headers, "content-length": Buffer.byteLength(result.body), ...(body === null ? { connection: "close" } : {}) });
  res.end(result.body);
  if (perf) perf.latencies.push(performance.now() - started);
}

const server = http.createServer((req, res) => {
  const route = fastRoutes[`${req.method} ${req.url?.split("?")[0]}`];
  if (!route) return nextHandler(req, res);
  serveFast(route, req, res).catch((e) => {
    console.error("[deputy] fast path failed:", e);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: "server_error", error_description: "Internal error" }));
  });
});
// keep-alive longer than common load balancers' idle timeouts, so they close first
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, host, () => {
  console.log(`Deputy listening on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
  // decisions arriving meanwhile wait for this load rather than starting their own
  warmUp().then(
    ({ ms, grants }) => {
      const loaded = process.memoryUsage().heapUsed;
      if (loaded < COLLECT_ABOVE_BYTES) return console.log(`Decision snapshot loaded: ${grants} grants in ${ms} ms (heap ${mb(loaded)} MB)`);
      const gcMs = collectGarbage();
      console.log(`Decision snapshot loaded: ${grants} grants in ${ms} ms (heap ${mb(loaded)} MB, ${mb(process.memoryUsage().heapUsed)} MB after a full GC of ${gcMs} ms)`);
    },
    (e) => console.error("[deputy] could not load the decision snapshot at start-up (decisions will retry):", e),
  );
});

const mb = (bytes) => Math.round(bytes / 1e6);
/** Below this heap the start-up garbage costs a scavenge little, and the full GC (~100 ms even when small) is skipped. */
const COLLECT_ABOVE_BYTES = 200e6;

/**
 * One full GC, once, after the start-up load. Reading a large snapshot leaves its rows behind as garbage in the old
 * generation (a million grants: ~620 MB of heap for ~230 MB live), and it would stay there until the heap reached
 * the next major GC's threshold. Meanwhile every young-generation pass, a few a second under load, takes longer
 * for it: V8's scavenger costs about 1 ms per 250 MB of old generation, live or not (measured: 4.8 -> 2.0 ms and
 * 6.6 -> 4.2 ms a pass). V8 exposes no gc() without a flag; set for a moment, it applies to one new context.
 */
function collectGarbage() {
  const t = performance.now();
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc");
    v8.setFlagsFromString("--no-expose-gc"); // contexts made later (Next's among them) get no global gc()
    gc();
  } catch {
    // not offered by this runtime: the garbage goes at the next major GC, as it would have
  }
  return Math.round(performance.now() - t);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
