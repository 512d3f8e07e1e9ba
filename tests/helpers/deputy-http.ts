// Deputy on a real socket, in the test process: a node:http server on 127.0.0.1 that serves the hot endpoints
// through the same plain handlers the production server (server.mjs) serves straight, and the others through their
// App Router route handlers. For clients and servers that must reach Deputy over HTTP (an MCP server asking for
// decisions, an MCP client discovering the authorization server), sharing this process's database and caches.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GET as jwksRoute } from "@/app/.well-known/jwks.json/route";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { GET as protectedResourceRoute } from "@/app/.well-known/oauth-protected-resource/route";
import { POST as registerRoute } from "@/app/oauth/register/route";
import { fastRoutes, nodeHeaders } from "@/lib/fast-path/handlers";

const webRoutes: Record<string, (r: Request) => Response | Promise<Response>> = {
  "GET /.well-known/oauth-authorization-server": () => metadataRoute(),
  "GET /.well-known/oauth-protected-resource": () => protectedResourceRoute(),
  "GET /.well-known/jwks.json": () => jwksRoute(),
  "POST /oauth/register": registerRoute,
};

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  const key = `${req.method} ${path}`;
  const body = await readBody(req);
  const fast = fastRoutes[key as keyof typeof fastRoutes];
  if (fast) {
    const r = await fast.handler({ headers: nodeHeaders(req.headers), body: body.length > fast.maxBodyBytes ? null : body });
    res.writeHead(r.status, r.headers).end(r.body);
    return;
  }
  const route = webRoutes[key];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const response = await route(
    new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(body) }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
}

/** Starts Deputy on an ephemeral port of 127.0.0.1; `url` is its origin, `close` stops it. */
export async function startDeputyHttp(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets of fetch would hold close() open
      }),
  };
}
