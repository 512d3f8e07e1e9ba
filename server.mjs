// The production server: Next.js for everything, except the hot OAuth endpoints, which go straight to their plain
// handlers (lib/fast-path/handlers.ts) without Next's per-request pipeline or web Request/Response objects; see
// docs/performance.md for what that buys.
// HOST and PORT choose where to listen (0.0.0.0:3000).
import http from "node:http";
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

// Calls the plain handler with what it needs from Node's request and writes its answer: no web Request/Response.
async function serveFast({ handler, maxBodyBytes }, req, res) {
  const body = await readBody(req, maxBodyBytes);
  // Next sets X-Forwarded-For from the socket when absent; do the same so client-address.ts sees the same thing
  if (!req.headers["x-forwarded-for"]) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  const result = await handler({ headers: nodeHeaders(req.headers), body });
  res.writeHead(result.status, { ...result.headers, "content-length": Buffer.byteLength(result.body), ...(body === null ? { connection: "close" } : {}) });
  res.end(result.body);
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
    ({ ms, grants }) => console.log(`Decision snapshot loaded: ${grants} grants in ${ms} ms`),
    (e) => console.error("[deputy] could not load the decision snapshot at start-up (decisions will retry):", e),
  );
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
