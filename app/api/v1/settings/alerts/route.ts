// GET|PUT /api/v1/settings/alerts: the anomaly rules' settings (the denial burst threshold), admins only.
import { alertSettingsInput, getAlertSettings, updateAlertSettings } from "@/lib/alerts/settings";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db }) => getAlertSettings(db));

export const PUT = apiRoute({ roles: ["admin"], body: alertSettingsInput }, async ({ db, body, principal }) => updateAlertSettings(db, body, principal.actor));
