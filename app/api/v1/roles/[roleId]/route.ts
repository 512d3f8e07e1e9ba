// GET /api/v1/roles/{roleId}: one role (id or name). PATCH: its name, description or tools. DELETE: remove a custom
// role (refused for built-in roles and while granted).
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute } from "@/lib/http/api-route";
import { deleteRole } from "@/lib/roles/delete-role";
import { getRole } from "@/lib/roles/get-role";
import { updateRoleInput } from "@/lib/roles/schemas";
import { updateRole } from "@/lib/roles/update-role";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => getRole(db, params.roleId!));

export const PATCH = apiRoute({ roles: ["admin"], body: updateRoleInput }, async ({ db, params, body, principal }) =>
  updateRole(db, params.roleId!, body, principal.actor),
);

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => deleteRole(db, params.roleId!, principal.actor));
