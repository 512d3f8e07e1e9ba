// GET /api/v1/audit-events/{eventId}: one audit event with its chain position and hashes.
import { getAuditEvent } from "@/lib/audit/get-event";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin", "auditor"] }, async ({ db, params }) => getAuditEvent(db, params.eventId ?? ""));
