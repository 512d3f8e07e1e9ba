// GET /api/v1/audit-events: the audit trail, newest first, keyset-paged (?cursor=...), filtered (lib/audit/event-filters.ts).
import { listAuditEvents, listEventsQuery } from "@/lib/audit/list-events";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin", "auditor"], query: listEventsQuery }, async ({ db, query }) => listAuditEvents(db, query));
