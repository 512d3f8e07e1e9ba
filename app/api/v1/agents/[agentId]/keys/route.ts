// GET /api/v1/agents/{agentId}/keys: its public keys for private_key_jwt (RFC 7523). POST: register one (inline JWK).
import { addPublicKey } from "@/lib/agents/add-public-key";
import { listPublicKeys } from "@/lib/agents/list-public-keys";
import { addPublicKeyInput } from "@/lib/agents/schemas";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => ({ publicKeys: await listPublicKeys(db, params.agentId!) }));

export const POST = apiRoute({ roles: ["admin"], body: addPublicKeyInput }, async ({ db, params, body, principal }) =>
  created(await addPublicKey(db, params.agentId!, body, principal.actor)),
);
