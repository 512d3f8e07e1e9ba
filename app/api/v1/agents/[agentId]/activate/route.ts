// POST /api/v1/agents/{agentId}/activate: a pending agent (registered through /oauth/register) can get tokens.
import { activateAgent } from "@/lib/agents/activate-agent";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => activateAgent(db, params.agentId!, principal.actor));
