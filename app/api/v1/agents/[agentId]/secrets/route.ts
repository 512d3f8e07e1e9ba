// GET /api/v1/agents/{agentId}/secrets: its client secrets (last four characters only). POST: add one, shown once.
import { createClientSecret } from "@/lib/agents/create-client-secret";
import { listClientSecrets } from "@/lib/agents/list-client-secrets";
import { createClientSecretInput } from "@/lib/agents/schemas";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => ({ secrets: await listClientSecrets(db, params.agentId!) }));

export const POST = apiRoute({ roles: ["admin"], body: createClientSecretInput }, async ({ db, params, body, principal }) =>
  created(await createClientSecret(db, params.agentId!, body, principal.actor)),
);
