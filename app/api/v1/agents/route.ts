// GET /api/v1/agents: list agents (filters, sort, keyset paging). POST: register one; its first client secret is in
// this response only.
import { createAgent } from "@/lib/agents/create-agent";
import { listAgents } from "@/lib/agents/list-agents";
import { createAgentInput, listAgentsQuery } from "@/lib/agents/schemas";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES, query: listAgentsQuery }, async ({ db, query }) => listAgents(db, query));

export const POST = apiRoute({ roles: ["admin"], body: createAgentInput }, async ({ db, body, principal }) =>
  created(await createAgent(db, body, principal.actor)),
);
