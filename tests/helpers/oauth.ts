// Agents with credentials for OAuth tests, and a fetch that routes a standard client's HTTP calls to Deputy's real
// route handlers (same Request/Response objects a server would pass), so third-party clients run unmodified.
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { GET as jwksRoute } from "@/app/.well-known/jwks.json/route";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as introspectRoute } from "@/app/oauth/introspect/route";
import { POST as revokeRoute } from "@/app/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { addPublicKey } from "@/lib/agents/add-public-key";
import { createAgent } from "@/lib/agents/create-agent";
import { getDb } from "@/lib/db/client";
import { makeUser, testActor, uniqueTag } from "./factories";

const routes: Record<string, (r: Request) => Response | Promise<Response>> = {
  "GET /.well-known/oauth-authorization-server": () => metadataRoute(),
  "GET /.well-known/jwks.json": () => jwksRoute(),
  "POST /oauth/token": tokenRoute,
  "POST /oauth/introspect": introspectRoute,
  "POST /oauth/revoke": revokeRoute,
};

/** fetch() for oauth4webapi / jose: Deputy's handlers instead of the network. */
export async function deputyFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(input, init);
  const route = routes[`${request.method} ${new URL(request.url).pathname}`];
  if (!route) return new Response("not found", { status: 404 });
  return route(request);
}

export async function makeAgent(opts: { scopes?: string[]; canIntrospect?: boolean; kind?: "autonomous" | "on_behalf_of" } = {}) {
  const { user } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(
    getDb(),
    {
      name: `agent-${uniqueTag()}`,
      owner: user.email,
      kind: opts.kind ?? "autonomous",
      allowedScopes: opts.scopes ?? ["github.read", "github.push"],
      canIntrospect: opts.canIntrospect ?? false,
    },
    testActor,
  );
  return { agent, clientId: agent.id, clientSecret: clientSecret! };
}

/** An agent key pair for private_key_jwt; the public half is registered with the agent. */
export async function makeAgentKey(agentId: string, alg: "ES256" | "EdDSA" | "RS256" = "ES256") {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = (await exportJWK(publicKey)) as JWK;
  const kid = `k-${uniqueTag()}`;
  await addPublicKey(getDb(), agentId, { jwk: { ...jwk, kid }, alg }, testActor);
  return { privateKey, publicKey, publicJwk: { ...jwk, kid }, kid, alg };
}

export const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

export function formRequest(path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  return new Request(`http://localhost:3000${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
}
