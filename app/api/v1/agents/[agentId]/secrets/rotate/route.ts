// POST /api/v1/agents/{agentId}/secrets/rotate: a new secret (shown once); the others work until the grace period ends.
import { rotateClientSecret } from "@/lib/agents/rotate-client-secret";
import { rotateClientSecretInput } from "@/lib/agents/schemas";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const POST = apiRoute({ roles: ["admin"], body: rotateClientSecretInput }, async ({ db, params, body, principal }) =>
  created(await rotateClientSecret(db, params.agentId!, body, principal.actor)),
);
