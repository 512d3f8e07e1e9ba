// The hot endpoints as plain handlers with their body limits. The custom server (server.mjs) serves these paths
// straight from this module (bundled by scripts/build-fast-path.mjs), skipping Next's per-request pipeline; the
// App Router routes serve the same handlers under `next dev` and any server that is not ours.
import { handleDecisionRequest, MAX_DECISION_BODY_BYTES } from "@/lib/authz/decisions-endpoint";
import { handleIntrospectionRequest } from "@/lib/oauth/introspect-endpoint";
import { MAX_FORM_BYTES } from "@/lib/oauth/read-form";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import { getDb } from "@/lib/db/client";
export { nodeHeaders } from "@/lib/http/plain";

/** Loads the decision snapshot at start-up, so the first decision does not pay for it (seconds at a million grants). */
export async function warmUp(): Promise<{ ms: number; grants: number }> {
  const started = performance.now();
  const loaded = await currentAuthz(getDb());
  let grants = 0;
  for (const list of loaded.snapshot.grantsByPrincipal.values()) grants += list.length;
  return { ms: Math.round(performance.now() - started), grants };
}

export const fastRoutes = {
  "POST /oauth/token": { handler: handleTokenRequest, maxBodyBytes: MAX_FORM_BYTES },
  "POST /oauth/introspect": { handler: handleIntrospectionRequest, maxBodyBytes: MAX_FORM_BYTES },
  "POST /api/v1/decisions": { handler: handleDecisionRequest, maxBodyBytes: MAX_DECISION_BODY_BYTES },
};
