// POST /api/v1/me/consents/{consentId}/revoke: a person revokes one of their consents; its tokens stop at once.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { revokeConsent } from "@/lib/consents/revoke-consent";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, principal, params }) => {
  if (principal.actor.type !== "user") throw new AppError("forbidden", "Only a signed-in person has consents; use /api/v1/consents");
  // another person's consent answers the same 404 as a missing one
  return revokeConsent(db, params.consentId!, principal.actor, { ownerId: principal.actor.id });
});
