// POST /api/v1/agents/{agentId}/suspend: no new tokens, and the tokens it holds stop working.
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => suspendAgent(db, params.agentId!, principal.actor));
