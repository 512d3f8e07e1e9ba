// Runs the example: npx tsx examples/mcp-server/main.ts (see README.md beside this file for the whole recipe).
import { startDeputyMcpServer } from "./server";

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (!v) {
    console.error(`Set ${name} (see examples/mcp-server/README.md)`);
    process.exit(2);
  }
  return v;
};

const port = Number(env("PORT", "8787"));
const resource = env("MCP_RESOURCE", `http://127.0.0.1:${port}/mcp`);
await startDeputyMcpServer({
  deputyUrl: env("DEPUTY_URL", "http://localhost:3000"),
  issuer: process.env.DEPUTY_ISSUER,
  resource,
  resourceServerSecret: env("DEPUTY_RESOURCE_SERVER_SECRET"),
  port,
  host: process.env.HOST ?? "127.0.0.1",
});
console.log(`Notes MCP server on ${resource} (metadata: ${new URL(resource).origin}/.well-known/oauth-protected-resource${new URL(resource).pathname})`);
