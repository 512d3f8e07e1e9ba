// GET /api/v1/node-types: the labels nodes may have, with their icons. POST: add a custom type.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute, created } from "@/lib/http/api-route";
import { createNodeType } from "@/lib/resources/create-node-type";
import { listNodeTypes } from "@/lib/resources/list-node-types";
import { createNodeTypeInput } from "@/lib/resources/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db }) => ({ nodeTypes: await listNodeTypes(db) }));

export const POST = apiRoute({ roles: ["admin"], body: createNodeTypeInput }, async ({ db, body, principal }) =>
  created(await createNodeType(db, body, principal.actor)),
);
