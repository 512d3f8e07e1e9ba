// GET /api/v1/tools: the tool catalog (?q= part of a name, ?risk=). POST: add a tool; the built-in roles of its
// risk take it at once.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute, created } from "@/lib/http/api-route";
import { createTool } from "@/lib/tools/create-tool";
import { listTools, listToolsQuery } from "@/lib/tools/list-tools";
import { createToolInput } from "@/lib/tools/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES, query: listToolsQuery }, async ({ db, query }) => ({ tools: await listTools(db, query) }));

export const POST = apiRoute({ roles: ["admin"], body: createToolInput }, async ({ db, body, principal }) =>
  created(await createTool(db, body, principal.actor)),
);
