// POST /api/v1/consents/{consentId}/revoke: an admin revokes anyone's consent; its tokens stop at once.
import { revokeConsent } from "@/lib/consents/revoke-consent";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, principal, params }) => revokeConsent(db, params.consentId!, principal.actor));
