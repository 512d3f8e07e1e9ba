// A real MCP client and the example MCP server (examples/mcp-server) from @modelcontextprotocol/sdk, against Deputy
// on a real socket. The client starts with nothing but its client credentials: the server's 401 names its RFC 9728
// metadata, which names Deputy, whose RFC 8414 metadata names the token endpoint; the token it gets there is for the
// server's audience. Every tool call is then decided by Deputy from the agent's grants. Also: Deputy's own RFC 9728
// document, and the resource_metadata challenge on its token-authenticated API.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as protectedResourceRoute } from "@/app/.well-known/oauth-protected-resource/route";
import { GET as readApprovalRoute } from "@/app/api/v1/approvals/[approvalId]/route";
import { createDeputyMcpHandler, NOTE_TOOLS } from "@/examples/mcp-server/server";
import { createAgent } from "@/lib/agents/create-agent";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { getDb } from "@/lib/db/client";
import { issuer } from "@/lib/oauth/issuer";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { createTool } from "@/lib/tools/create-tool";
import { startDeputyHttp } from "../helpers/deputy-http";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { BASE_URL, routeParams, sessionCookie } from "../helpers/http";
import { decideAs } from "./approvals-helpers";
import { makeGrant, makeTree } from "./authz-helpers";

let deputy: Awaited<ReturnType<typeof startDeputyHttp>>;
let mcpHttp: http.Server;
let resource: string;
let tree: Awaited<ReturnType<typeof makeTree>>;
const path = (rel: string) => [tree.root, rel].filter(Boolean).join("/");

beforeAll(async () => {
  deputy = await startDeputyHttp();
  // the server listens first: its URL is the audience it is registered with in Deputy
  mcpHttp = http.createServer();
  await new Promise<void>((resolve) => mcpHttp.listen(0, "127.0.0.1", resolve));
  resource = `http://127.0.0.1:${(mcpHttp.address() as AddressInfo).port}/mcp`;
  const { secret } = await createResourceServer(getDb(), { name: `notes-mcp-${uniqueTag()}`, audience: resource }, testActor);
  // Deputy is reached at its socket, while its tokens name its public URL (NEXTAUTH_URL) as their issuer
  mcpHttp.on("request", createDeputyMcpHandler({ deputyUrl: deputy.url, issuer: issuer(), resource, resourceServerSecret: secret }));

  for (const [name, risk] of [
    [NOTE_TOOLS.read, "read"],
    [NOTE_TOOLS.write, "write"],
    [NOTE_TOOLS.delete, "irreversible"],
  ] as const) {
    if (!(await getDb().tool.findUnique({ where: { name } }))) await createTool(getDb(), { name, risk }, testActor);
  }
  tree = await makeTree(["docs", "private"]);
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    mcpHttp.close(() => resolve());
    mcpHttp.closeAllConnections();
  });
  await deputy.close();
});

/** The client's HTTP: Deputy's public URL (the issuer in every document) is served on the test socket. */
const toDeputy: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const publicOrigin = new URL(issuer()).origin;
  if (url.origin !== publicOrigin) return fetch(input, init);
  const target = `${deputy.url}${url.pathname}${url.search}`;
  return input instanceof Request ? fetch(new Request(target, input), init) : fetch(target, init);
};

/** An agent allowed every notes tool as a scope; what it may do where is up to its grants. */
async function makeNotesAgent() {
  const { user } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(
    getDb(),
    { name: `notes-agent-${uniqueTag()}`, owner: user.email, allowedScopes: Object.values(NOTE_TOOLS) },
    testActor,
  );
  return { agent, clientSecret: clientSecret! };
}

async function connect(clientId: string, clientSecret: string) {
  const authProvider = new ClientCredentialsProvider({ clientId, clientSecret, expectedIssuer: issuer() });
  const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider, fetch: toDeputy });
  const client = new Client({ name: "deputy-test-client", version: "1.0.0" });
  await client.connect(transport);
  return { client, authProvider };
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("");

describe("an MCP client and server with Deputy", () => {
  it("discovers Deputy, gets a token for the server, and each tool call is allowed, denied or held for approval as the grants say", async () => {
    const { agent, clientSecret } = await makeNotesAgent();
    const principal = { type: "agent" as const, id: agent.id };
    await makeGrant({ principal, node: tree.nodes.docs!.id, tool: NOTE_TOOLS.read });
    await makeGrant({ principal, node: tree.nodes.docs!.id, tool: NOTE_TOOLS.write });
    await makeGrant({ principal, node: tree.nodes.docs!.id, tool: NOTE_TOOLS.delete });

    const { client, authProvider } = await connect(agent.id, clientSecret);
    // the token came from Deputy's token endpoint, for this server's audience, with the scopes the server lists
    const token = authProvider.tokens()!.access_token;
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer(), aud: resource, client_id: agent.id });
    expect(String(claims.scope).split(" ").sort()).toEqual([NOTE_TOOLS.delete, NOTE_TOOLS.read, NOTE_TOOLS.write]);

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([NOTE_TOOLS.delete, NOTE_TOOLS.read, NOTE_TOOLS.write]);

    // allowed: granted on docs
    const wrote = (await client.callTool({ name: NOTE_TOOLS.write, arguments: { resource: path("docs"), name: "plan", text: "ship it" } })) as CallToolResult;
    expect(wrote.isError).toBeFalsy();
    expect(text(wrote)).toBe("wrote plan");
    const read = (await client.callTool({ name: NOTE_TOOLS.read, arguments: { resource: path("docs"), name: "plan" } })) as CallToolResult;
    expect(text(read)).toBe("ship it");

    // denied: nothing granted on the sibling; the tool did not run, and the reason is Deputy's
    const denied = (await client.callTool({ name: NOTE_TOOLS.write, arguments: { resource: path("private"), name: "plan", text: "leak" } })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(text(denied)).toContain(`Deputy denied ${NOTE_TOOLS.write} on ${path("private")}`);
    expect(text(denied)).toContain(`has no grant for ${NOTE_TOOLS.write} on ${path("private")}`);
    expect(denied.structuredContent).toMatchObject({ decision: "deny", reasons: [{ code: "no_grant" }] });
    const notWritten = (await client.callTool({ name: NOTE_TOOLS.read, arguments: { resource: path("private"), name: "plan" } })) as CallToolResult;
    expect(notWritten.isError).toBe(true); // no read grant there either

    // irreversible: held for a person, with the approval's URL; the note is still there
    const held = (await client.callTool({ name: NOTE_TOOLS.delete, arguments: { resource: path("docs"), name: "plan" } })) as CallToolResult;
    expect(held.isError).toBe(true);
    const approval = (held.structuredContent as { decision: string; approval: { id: string; url: string } }).approval;
    expect(held.structuredContent).toMatchObject({ decision: "approval_required" });
    expect(approval.url).toBe(`${issuer()}/approvals/${approval.id}`);
    expect(text(held)).toContain(`needs a person's approval: ${approval.url}`);
    expect(text((await client.callTool({ name: NOTE_TOOLS.read, arguments: { resource: path("docs"), name: "plan" } })) as CallToolResult)).toBe("ship it");

    // once a person approves, the same call goes through, once
    const { user: approverUser } = await makeUser({ role: "approver" });
    await makeGrant({ principal: { type: "user", id: approverUser.id }, node: tree.nodes[""]!.id, role: "Approver" });
    const approver = { session: await sessionCookie({ uid: approverUser.id, epoch: approverUser.sessionEpoch }) };
    expect((await decideAs(approver, approval.id, { decision: "approve" })).status).toBe(200);
    const deleted = (await client.callTool({ name: NOTE_TOOLS.delete, arguments: { resource: path("docs"), name: "plan" } })) as CallToolResult;
    expect(deleted.isError).toBeFalsy();
    expect(text(deleted)).toBe("deleted plan");

    // every decision is Deputy's, in its audit trail
    const decisions = await getDb().auditEvent.findMany({ where: { action: "decision.make", actorId: agent.id }, orderBy: { seq: "asc" } });
    expect(decisions.map((e) => e.result)).toEqual(["allow", "allow", "deny", "deny", "approval_required", "allow", "allow"]);

    // Deputy answers each call: suspended, the agent's token stops working at the next call, though it still verifies
    await suspendAgent(getDb(), agent.id, testActor);
    const afterSuspend = (await client.callTool({ name: NOTE_TOOLS.read, arguments: { resource: path("docs"), name: "plan" } })) as CallToolResult;
    expect(afterSuspend.isError).toBe(true);
    expect(afterSuspend.structuredContent).toMatchObject({ decision: "deny", reasons: [{ code: "token_inactive" }] });
    await client.close();
  });

  it("the server refuses requests without a token, or with a token for another audience, naming its metadata", async () => {
    const noToken = await fetch(resource, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(noToken.status).toBe(401);
    const metadataUrl = `${new URL(resource).origin}/.well-known/oauth-protected-resource/mcp`;
    expect(noToken.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${metadataUrl}"`);

    const metadata = await (await fetch(metadataUrl)).json();
    expect(metadata).toEqual({
      resource,
      resource_name: "Notes (Deputy MCP example)",
      authorization_servers: [issuer()],
      scopes_supported: Object.values(NOTE_TOOLS),
      bearer_methods_supported: ["header"],
    });

    // a token for Deputy's own API (no resource asked) is not a token for this server
    const { agent, clientSecret } = await makeNotesAgent();
    const tokenRes = await fetch(`${deputy.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${agent.id}:${clientSecret}`).toString("base64")}` },
      body: "grant_type=client_credentials",
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const wrongAudience = await fetch(resource, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${access_token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(wrongAudience.headers.get("www-authenticate")).toContain(`resource_metadata="${metadataUrl}"`);
  });
});

describe("GET /.well-known/oauth-protected-resource (RFC 9728) for Deputy's own API", () => {
  it("names the issuer as both the resource and its authorization server", async () => {
    const res = protectedResourceRoute();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({
      resource: BASE_URL,
      resource_name: "Deputy API",
      authorization_servers: [BASE_URL],
      scopes_supported: [],
      bearer_methods_supported: ["header"],
      resource_documentation: `${BASE_URL}/api/v1/openapi.json`,
    });
  });

  it("is what a 401 of the agent API points to", async () => {
    const res = await readApprovalRoute(
      new Request(`${BASE_URL}/api/v1/approvals/apr_x`, { headers: { authorization: "Bearer aaa.bbb.ccc" } }),
      routeParams({ approvalId: "apr_x" }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer realm="deputy", error="invalid_token", resource_metadata="${BASE_URL}/.well-known/oauth-protected-resource"`,
    );
  });
});
