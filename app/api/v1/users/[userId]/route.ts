// GET /api/v1/users/{userId}; PATCH it: name, role, disabled.
import { apiRoute } from "@/lib/http/api-route";
import { getUser } from "@/lib/users/get-user";
import { updateUserInput } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db, params }) => getUser(db, params.userId!));

export const PATCH = apiRoute({ roles: ["admin"], body: updateUserInput }, async ({ db, params, body, principal }) =>
  updateUser(db, params.userId!, body, principal.actor),
);
