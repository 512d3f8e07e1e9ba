// GET /api/v1/audit-events/export?format=jsonl|csv&<filters>: a filtered range of the audit trail as a streamed file.
import { exportAuditEvents, exportEventsQuery } from "@/lib/audit/export-events";
import { apiRoute } from "@/lib/http/api-route";
import { clientAddress } from "@/lib/http/client-address";
import { securityHeaders } from "@/lib/http/headers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ roles: ["admin", "auditor"], query: exportEventsQuery }, async ({ db, query, principal, request }) => {
  const file = await exportAuditEvents(db, query, principal.actor, clientAddress(request.headers));
  return new Response(file.stream, {
    headers: {
      ...securityHeaders,
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Deputy-Export-Event-Id": file.exportEventId,
    },
  });
});
