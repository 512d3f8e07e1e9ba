// POST /api/v1/agents/{agentId}/kill: the kill switch. Body { confirm: "<the agent's name>" }; a mismatch is a 400.
import { killAgent } from "@/lib/agents/kill-agent";
import { killAgentInput } from "@/lib/agents/schemas";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"], body: killAgentInput }, async ({ db, params, body, principal }) =>
  killAgent(db, params.agentId!, body, principal.actor),
);
