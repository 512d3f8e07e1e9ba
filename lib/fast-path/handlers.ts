// The hot endpoints, as plain (Request) => Response functions. The custom server (server.mjs) serves these paths
// straight from this module (bundled by scripts/build-fast-path.mjs), skipping Next's per-request pipeline; the
// App Router routes serve the same functions under `next dev` and any server that is not ours.
import { handleIntrospectionRequest } from "@/lib/oauth/introspect-endpoint";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

export const fastRoutes: Record<string, (request: Request) => Promise<Response>> = {
  "POST /oauth/token": handleTokenRequest,
  "POST /oauth/introspect": handleIntrospectionRequest,
};
