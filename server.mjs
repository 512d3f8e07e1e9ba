// The production server: Next.js for everything, except the hot OAuth endpoints, which go straight to their handler
// functions (about 3x the throughput of the same handler behind Next's pipeline; see docs/performance.md).
// HOST and PORT choose where to listen (0.0.0.0:3000).
import http from "node:http";
import { Readable } from "node:stream";
import next from "next";

const host = process.env.HOST || "0.0.0.0";
const port = Number(process.env.PORT || 3000);
process.env.NODE_ENV = "production";

const app = next({ dev: false, hostname: host, port });
await app.prepare();
const nextHandler = app.getRequestHandler();
const { fastRoutes } = await import(new URL("./.next/deputy-fast-path.mjs", import.meta.url).href);

async function serveFast(handler, req, res) {
  // Next sets X-Forwarded-For from the socket when absent; do the same so client-address.ts sees the same thing
  if (!req.headers["x-forwarded-for"]) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
    method: req.method,
    headers: req.headers,
    body: Readable.toWeb(req),
    duplex: "half",
  });
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

const server = http.createServer((req, res) => {
  const handler = fastRoutes[`${req.method} ${req.url?.split("?")[0]}`];
  if (!handler) return nextHandler(req, res);
  serveFast(handler, req, res).catch((e) => {
    console.error("[deputy] fast path failed:", e);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: "server_error", error_description: "Internal error" }));
  });
});
// keep-alive longer than common load balancers' idle timeouts, so they close first
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, host, () => console.log(`Deputy listening on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
