// GET /api/v1/resource-servers: the tools and MCP servers that ask for decisions. POST: register one; its first
// secret is in this response only. Admins only: these are credentials.
import { apiRoute, created } from "@/lib/http/api-route";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { listResourceServers } from "@/lib/resource-servers/list-resource-servers";
import { createResourceServerInput } from "@/lib/resource-servers/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db }) => ({ resourceServers: await listResourceServers(db) }));

export const POST = apiRoute({ roles: ["admin"], body: createResourceServerInput }, async ({ db, body, principal }) =>
  created(await createResourceServer(db, body, principal.actor)),
);
