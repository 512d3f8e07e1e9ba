// GET /api/v1/users: list console users. POST /api/v1/users: create (invite) one.
import { apiRoute, created } from "@/lib/http/api-route";
import { createUser } from "@/lib/users/create-user";
import { listUsers, listUsersQuery } from "@/lib/users/list-users";
import { createUserInput } from "@/lib/users/schemas";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"], query: listUsersQuery }, async ({ db, query }) => ({ users: await listUsers(db, query) }));

export const POST = apiRoute({ roles: ["admin"], body: createUserInput }, async ({ db, body, principal }) =>
  created(await createUser(db, body, principal.actor)),
);
