// The server half of peer-instance.mjs: the fast-path routes on an ephemeral port, "listening <port>" on stdout.
import http from "node:http";
import { fastRoutes, nodeHeaders } from "@/lib/fast-path/handlers";

const server = http.createServer((req, res) => {
  const route = fastRoutes[`${req.method} ${req.url}` as keyof typeof fastRoutes];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    route
      .handler({ headers: nodeHeaders(req.headers), body: body.length > route.maxBodyBytes ? null : body })
      .then((r) => res.writeHead(r.status, r.headers).end(r.body))
      .catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
