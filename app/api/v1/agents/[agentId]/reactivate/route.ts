// POST /api/v1/agents/{agentId}/reactivate: a suspended agent can get tokens again (not a killed one).
import { reactivateAgent } from "@/lib/agents/reactivate-agent";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => reactivateAgent(db, params.agentId!, principal.actor));
