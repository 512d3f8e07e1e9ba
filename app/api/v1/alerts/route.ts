// GET /api/v1/alerts: anomaly alerts newest first (filters agent, rule, acknowledged; keyset paging), with openCount.
import { listAlerts, listAlertsQuery } from "@/lib/alerts/list-alerts";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

// everyone who may see agents may see what they did wrong; only admins acknowledge
export const GET = apiRoute({ roles: ["admin", "approver", "auditor", "viewer"], query: listAlertsQuery }, async ({ db, query }) => listAlerts(db, query));
