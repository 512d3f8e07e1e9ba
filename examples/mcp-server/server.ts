// An MCP server (Streamable HTTP) that accepts Deputy access tokens and asks Deputy for a decision on every tool
// call. It depends only on @modelcontextprotocol/sdk and jose: copy it, replace the notes with your own tools.
//
//   - GET /.well-known/oauth-protected-resource/<path>: RFC 9728 metadata naming Deputy as the authorization server,
//     so a standard MCP client discovers where to get a token;
//   - every request to the MCP endpoint needs `Authorization: Bearer <Deputy token for this server's audience>`,
//     else 401 with `WWW-Authenticate: Bearer resource_metadata="..."`;
//   - each tool call goes to Deputy's POST /api/v1/decisions (the server's own dpr_ secret, the caller's token, the
//     tool, the resource from the arguments, the other arguments as params) and runs only on "allow". A deny or an
//     approval_required comes back as a tool error carrying Deputy's reasons (and the approval's URL).
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";

export type DeputyMcpConfig = {
  /** where this server reaches Deputy: its decisions endpoint and JWKS */
  deputyUrl: string;
  /** Deputy's issuer (its NEXTAUTH_URL), when it differs from deputyUrl (say, Deputy is reached on an internal address) */
  issuer?: string;
  /** this MCP endpoint's public URL, e.g. https://notes-mcp.example.com/mcp: the audience registered in Deputy */
  resource: string;
  /** this server's resource server secret (dpr_...), from `deputy resource-server create` */
  resourceServerSecret: string;
};

/** The tools, by the names they have in Deputy's catalog (and so in a token's scope). */
export const NOTE_TOOLS = {
  read: "notes.read",
  write: "notes.write",
  delete: "notes.delete",
} as const;

/** Deputy's answer to POST /api/v1/decisions. */
export type Decision = {
  decision: "allow" | "deny" | "approval_required";
  reasons: { code: string; message: string }[];
  decision_id: string;
  approval?: { id: string; status: string; url: string; expires_at: string };
};

const trimSlash = (s: string) => s.replace(/\/+$/, "");

/** RFC 9728 section 3.1: the well-known path is inserted between the host and the resource's path. */
export function metadataPath(resource: string): string {
  const path = new URL(resource).pathname;
  return `/.well-known/oauth-protected-resource${path === "/" ? "" : path}`;
}

export function createDeputyMcpHandler(config: DeputyMcpConfig): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const deputyUrl = trimSlash(config.deputyUrl);
  const issuer = trimSlash(config.issuer ?? config.deputyUrl);
  const resourceUrl = new URL(config.resource);
  const metadataUrl = `${resourceUrl.origin}${metadataPath(config.resource)}`;
  // Deputy publishes its signing keys; jose caches them and refetches on an unknown kid (key rotation)
  const jwks = createRemoteJWKSet(new URL(`${deputyUrl}/.well-known/jwks.json`));
  const notes = new Map<string, string>(); // "<resource>\n<name>" -> text: the example's whole "backend"

  const metadata = {
    resource: config.resource,
    resource_name: "Notes (Deputy MCP example)",
    authorization_servers: [issuer],
    scopes_supported: Object.values(NOTE_TOOLS),
    bearer_methods_supported: ["header"],
  };

  function challenge(res: ServerResponse, description: string, tokenPresented: boolean) {
    const error = tokenPresented ? `error="invalid_token", error_description="${description.replace(/"/g, "'")}", ` : "";
    res.writeHead(401, { "content-type": "application/json", "WWW-Authenticate": `Bearer ${error}resource_metadata="${metadataUrl}"` });
    res.end(JSON.stringify({ error: "invalid_token", error_description: description }));
  }

  /**
   * The token is checked here only as far as it can be without Deputy: signed by Deputy, for this audience, not
   * expired. Revocation, suspension and the kill switch are Deputy's to answer, and it does so on every tool call.
   */
  async function authenticate(req: IncomingMessage): Promise<AuthInfo | string> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return "A Deputy access token is required";
    try {
      const { payload } = await jwtVerify(token, jwks, { algorithms: ["ES256"], issuer, audience: config.resource, typ: "at+jwt" });
      return {
        token,
        clientId: String(payload.client_id ?? ""),
        scopes: typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : [],
        expiresAt: payload.exp,
        extra: { sub: payload.sub },
      };
    } catch {
      return "The access token is invalid, expired, or not for this server";
    }
  }

  async function decide(token: string, tool: string, resource: string, params: Record<string, unknown>): Promise<Decision> {
    const res = await fetch(`${deputyUrl}/api/v1/decisions`, {
      method: "POST",
      headers: { authorization: `Bearer ${config.resourceServerSecret}`, "content-type": "application/json" },
      body: JSON.stringify({ token, tool, resource, params }),
    });
    const body = (await res.json().catch(() => null)) as (Decision & { error?: { message: string } }) | null;
    // fail closed: no answer from Deputy is no permission
    if (!res.ok || !body?.decision) throw new Error(`Deputy did not decide (${res.status}): ${body?.error?.message ?? "no answer"}`);
    return body;
  }

  /** Runs `run` only when Deputy allows this call; otherwise a tool error with Deputy's reasons. */
  async function guarded(
    authInfo: AuthInfo | undefined,
    tool: string,
    args: { resource: string } & Record<string, unknown>,
    run: () => string,
  ): Promise<CallToolResult> {
    if (!authInfo) return { isError: true, content: [{ type: "text", text: "Not authenticated" }] };
    const { resource, ...params } = args;
    let d: Decision;
    try {
      d = await decide(authInfo.token, tool, resource, params);
    } catch (e) {
      return { isError: true, content: [{ type: "text", text: (e as Error).message }] };
    }
    if (d.decision === "allow") return { content: [{ type: "text", text: run() }] };
    const why = d.reasons.map((r) => r.message).join("; ");
    const text =
      d.decision === "approval_required"
        ? `${tool} on ${resource} needs a person's approval: ${d.approval?.url ?? "(no approval request)"}. Call again with the same arguments once it is approved. (${why})`
        : `Deputy denied ${tool} on ${resource}: ${why}`;
    return { isError: true, content: [{ type: "text", text }], structuredContent: { ...d } };
  }

  function mcpServer(): McpServer {
    const server = new McpServer({ name: "deputy-notes-example", version: "1.0.0" });
    const where = z.string().min(1).describe("The Deputy resource the note lives in, e.g. acme/platform/api");
    const name = z.string().min(1).max(200).describe("The note's name");
    const key = (resource: string, n: string) => `${resource}\n${n}`;
    server.registerTool(
      NOTE_TOOLS.read,
      { description: "Read a note", inputSchema: { resource: where, name }, annotations: { readOnlyHint: true } },
      (args, extra) => guarded(extra.authInfo, NOTE_TOOLS.read, args, () => notes.get(key(args.resource, args.name)) ?? ""),
    );
    server.registerTool(
      NOTE_TOOLS.write,
      { description: "Write a note", inputSchema: { resource: where, name, text: z.string().max(10_000) } },
      (args, extra) =>
        guarded(extra.authInfo, NOTE_TOOLS.write, args, () => {
          notes.set(key(args.resource, args.name), args.text);
          return `wrote ${args.name}`;
        }),
    );
    server.registerTool(
      NOTE_TOOLS.delete,
      { description: "Delete a note (irreversible: a person approves each call)", inputSchema: { resource: where, name }, annotations: { destructiveHint: true } },
      (args, extra) =>
        guarded(extra.authInfo, NOTE_TOOLS.delete, args, () => (notes.delete(key(args.resource, args.name)) ? `deleted ${args.name}` : `no note ${args.name}`)),
    );
    return server;
  }

  return async (req, res) => {
    try {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (req.method === "GET" && path === metadataPath(config.resource)) {
        res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=300" });
        res.end(JSON.stringify(metadata));
        return;
      }
      if (path !== resourceUrl.pathname) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not_found" }));
        return;
      }
      const auth = await authenticate(req);
      if (typeof auth === "string") {
        challenge(res, auth, Boolean(req.headers.authorization));
        return;
      }
      // stateless: a fresh server and transport per request, so no session outlives the token that opened it
      const server = mcpServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(Object.assign(req, { auth }), res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "server_error", error_description: (e as Error).message }));
    }
  };
}

/** Starts the example on host:port; `resource` must be the URL clients reach it at. */
export async function startDeputyMcpServer(config: DeputyMcpConfig & { port: number; host?: string }): Promise<Server> {
  const server = createServer(createDeputyMcpHandler(config));
  await new Promise<void>((resolve) => server.listen(config.port, config.host ?? "127.0.0.1", resolve));
  return server;
}
