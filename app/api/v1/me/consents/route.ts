// GET /api/v1/me/consents: the signed-in person's consents to on-behalf-of agents, newest first.
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { listConsents } from "@/lib/consents/list-consents";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, principal }) => {
  // an API key is no person and consents to nothing; admins list everyone's at /api/v1/consents
  if (principal.actor.type !== "user") throw new AppError("forbidden", "Only a signed-in person has consents; use /api/v1/consents");
  return { consents: await listConsents(db, { userId: principal.actor.id }) };
});
