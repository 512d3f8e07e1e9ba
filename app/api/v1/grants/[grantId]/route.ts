// GET /api/v1/grants/{grantId}: one grant with its status now. DELETE: revoke it at once (its record stays).
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { getGrant } from "@/lib/grants/get-grant";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => getGrant(db, params.grantId!));

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => revokeGrant(db, params.grantId!, principal.actor));
