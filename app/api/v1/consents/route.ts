// GET /api/v1/consents: every person's consents to on-behalf-of agents (admins), filtered by user, agent or status.
import { listConsents, listConsentsQuery } from "@/lib/consents/list-consents";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"], query: listConsentsQuery }, async ({ db, query }) => ({ consents: await listConsents(db, query) }));
