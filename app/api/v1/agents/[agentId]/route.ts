// GET /api/v1/agents/{agentId}: the agent, its credentials (no secrets) and recent tokens. PATCH: change its settings.
import { getAgent } from "@/lib/agents/get-agent";
import { updateAgentInput } from "@/lib/agents/schemas";
import { updateAgent } from "@/lib/agents/update-agent";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => getAgent(db, params.agentId!));

export const PATCH = apiRoute({ roles: ["admin"], body: updateAgentInput }, async ({ db, params, body, principal }) =>
  updateAgent(db, params.agentId!, body, principal.actor),
);
