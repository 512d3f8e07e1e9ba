// POST /api/v1/users/{userId}/password: set a password, or generate one (returned once). Ends the user's sessions.
import { apiRoute } from "@/lib/http/api-route";
import { setPasswordInput } from "@/lib/users/schemas";
import { setUserPassword } from "@/lib/users/set-user-password";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"], body: setPasswordInput }, async ({ db, params, body, principal }) =>
  setUserPassword(db, params.userId!, body.password, principal.actor),
);
