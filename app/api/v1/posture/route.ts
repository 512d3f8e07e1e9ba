// GET /api/v1/posture: the agent-auth checklist evaluated against live data, item by item (admins, auditors).
import { apiRoute } from "@/lib/http/api-route";
import { getPosture } from "@/lib/posture/load-posture-facts";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin", "auditor"] }, async ({ db }) => getPosture(db));
