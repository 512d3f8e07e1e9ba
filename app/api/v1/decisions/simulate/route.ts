// POST /api/v1/decisions/simulate: what an agent (for a user) would be answered, without a token (console, admins).
import { simulateDecision, simulateInput } from "@/lib/authz/simulate-decision";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin", "auditor"], body: simulateInput }, async ({ db, body }) => simulateDecision(db, body));
