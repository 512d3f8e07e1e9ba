// POST /api/v1/alerts/{alertId}/acknowledge: mark an alert seen (admins); a second acknowledgement is a 409.
import { acknowledgeAlert } from "@/lib/alerts/acknowledge-alert";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => acknowledgeAlert(db, params.alertId!, principal.actor));
