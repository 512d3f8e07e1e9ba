// GET /api/v1/roles: every role with its tools (built-in ones first). POST: add a custom role.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute, created } from "@/lib/http/api-route";
import { createRole } from "@/lib/roles/create-role";
import { listRoles } from "@/lib/roles/list-roles";
import { createRoleInput } from "@/lib/roles/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db }) => ({ roles: await listRoles(db) }));

export const POST = apiRoute({ roles: ["admin"], body: createRoleInput }, async ({ db, body, principal }) =>
  created(await createRole(db, body, principal.actor)),
);
