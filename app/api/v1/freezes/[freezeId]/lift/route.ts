// POST /api/v1/freezes/{freezeId}/lift: reactivates the agents this freeze still holds suspended.
import { liftFreeze } from "@/lib/freezes/lift-freeze";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => liftFreeze(db, params.freezeId!, principal.actor));
