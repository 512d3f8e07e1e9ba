// GET /api/v1/grants: grants with their status now (filters: principal, node with includeInherited, role, tool,
// status; keyset paging). POST: grant a principal a role or a tool on a node.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { createGrant } from "@/lib/grants/create-grant";
import { listGrants } from "@/lib/grants/list-grants";
import { createGrantInput, listGrantsQuery } from "@/lib/grants/schemas";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES, query: listGrantsQuery }, async ({ db, query }) => listGrants(db, query));

export const POST = apiRoute({ roles: ["admin"], body: createGrantInput }, async ({ db, body, principal }) =>
  created(await createGrant(db, body, principal.actor)),
);
