// GET /api/v1/freezes: the freezes in force and the recent lifted ones. POST: freeze every agent, or every agent whose
// grants reach a subtree (incident mode).
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { createFreeze } from "@/lib/freezes/create-freeze";
import { listFreezes } from "@/lib/freezes/list-freezes";
import { createFreezeInput, listFreezesQuery } from "@/lib/freezes/schemas";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES, query: listFreezesQuery }, async ({ db, query }) => ({ freezes: await listFreezes(db, query) }));

export const POST = apiRoute({ roles: ["admin"], body: createFreezeInput }, async ({ db, body, principal }) =>
  created(await createFreeze(db, body, principal.actor)),
);
