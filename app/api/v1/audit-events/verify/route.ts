// POST /api/v1/audit-events/verify: walks the audit hash chain and names the first altered, deleted or inserted row.
import { verifyAuditChain, verifyChainQuery } from "@/lib/audit/verify-chain";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

// POST, not GET: it may read every row of the trail, and must never be prefetched or cached
export const POST = apiRoute({ roles: ["admin", "auditor"], query: verifyChainQuery }, async ({ db, query }) => verifyAuditChain(db, query));
