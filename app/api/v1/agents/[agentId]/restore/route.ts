// POST /api/v1/agents/{agentId}/restore: a killed agent is active again with a fresh client secret, in this response only.
import { restoreAgent } from "@/lib/agents/restore-agent";
import { restoreAgentInput } from "@/lib/agents/schemas";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"], body: restoreAgentInput }, async ({ db, params, body, principal }) =>
  restoreAgent(db, params.agentId!, body, principal.actor),
);
