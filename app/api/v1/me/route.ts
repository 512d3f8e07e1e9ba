// GET /api/v1/me: who the caller is (an API key or a console user) and with which role.
import { apiRoute } from "@/lib/http/api-route";
import { CONSOLE_ROLES } from "@/lib/auth/roles";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ principal }) => ({
  actor: principal.actor,
  role: principal.role,
  via: principal.via,
}));
