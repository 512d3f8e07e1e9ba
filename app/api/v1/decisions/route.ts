// POST /api/v1/decisions: may this agent's token call this tool on this resource now? (resource servers only)
import { handleDecisionRequest, MAX_DECISION_BODY_BYTES } from "@/lib/authz/decisions-endpoint";
import { webHandler } from "@/lib/http/plain";

export const runtime = "nodejs";
export const POST = webHandler(handleDecisionRequest, MAX_DECISION_BODY_BYTES);
