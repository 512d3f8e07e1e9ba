// The authorization request (RFC 6749 4.1.1 with PKCE, RFC 7636) as /oauth/authorize receives it, validated.
//
// Order matters (RFC 6749 4.1.2.1): until client_id and redirect_uri are known good, an error is shown to the person
// and never redirected, so that Deputy can never be used to send someone to an address the agent did not register.
// After that, errors go back to the registered redirect URI with `state`.
//
// Deputy's own parameters, besides the standard ones:
// - `node`: the resource subtree the agent asks to act in, a node id or a tree path (absent: wherever the person may)
// - `duration`: how many seconds the consent should last (default 1 hour, capped at 30 days)
// - `resource` (RFC 8707): the audience of the tokens; bound to the code (authorization-code.ts)
import { looksLikeSecret } from "@/lib/audit/record-event";
import { SCOPE_PATTERN } from "@/lib/agents/limits";
import { resolveInSnapshot } from "@/lib/authz/load-snapshot";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import type { Db } from "@/lib/db/client";
import { issuer } from "@/lib/oauth/issuer";
import { CODE_CHALLENGE_PATTERN, DEFAULT_CONSENT_SECONDS, MAX_CONSENT_SECONDS, MIN_CONSENT_SECONDS } from "./limits";

export type AuthorizationRequest = {
  agent: { id: string; name: string; ownerEmail: string; allowedScopes: string[] };
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  /** requested tool names, each one the agent is allowed and the catalog knows */
  tools: string[];
  /** the requested subtree; null: wherever the person may */
  nodeId: string | null;
  durationSeconds: number;
  /** RFC 8707 audience; null: Deputy itself */
  resource: string | null;
};

export type AuthorizeErrorCode = "invalid_request" | "unauthorized_client" | "unsupported_response_type" | "invalid_scope" | "invalid_target" | "access_denied";

export type ParsedAuthorization =
  /** shown to the person as a page: the client or its redirect URI cannot be trusted */
  | { kind: "fatal"; message: string }
  /** sent back to the agent's redirect URI */
  | { kind: "redirect"; url: string }
  | { kind: "ok"; request: AuthorizationRequest };

const MAX_STATE_LENGTH = 1000;

/** The redirect URI with `params` added to its query, and `iss` (RFC 9207) so that the agent can tell who answered. */
export function redirectWith(redirectUri: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  url.searchParams.set("iss", issuer());
  return url.toString();
}

export function errorRedirect(redirectUri: string, error: AuthorizeErrorCode, description: string, state: string | null): string {
  return redirectWith(redirectUri, { error, error_description: description, state });
}

/** Registered redirect URIs of an agent (space-separated in storage). */
export function redirectUrisOf(agent: { redirectUris: string }): string[] {
  return agent.redirectUris.split(" ").filter(Boolean);
}

export async function parseAuthorizationRequest(db: Db, query: URLSearchParams, now = new Date()): Promise<ParsedAuthorization> {
  // RFC 6749 3.1: parameters must not be repeated
  const single = (name: string): string | null | "repeated" => {
    const all = query.getAll(name);
    return all.length > 1 ? "repeated" : (all[0] ?? null);
  };

  const clientId = single("client_id");
  if (!clientId || clientId === "repeated") return { kind: "fatal", message: "The request names no agent (client_id is missing or repeated)." };
  const agent = await db.agent.findUnique({ where: { id: clientId.slice(0, 100) }, include: { owner: { select: { email: true } } } });
  if (!agent) return { kind: "fatal", message: "No agent is registered with this client_id." };
  if (agent.kind !== "on_behalf_of") return { kind: "fatal", message: `Agent ${agent.name} is not registered to act on behalf of people.` };
  if (agent.status !== "active") return { kind: "fatal", message: `Agent ${agent.name} is ${agent.status}: it cannot ask for access now.` };

  const redirectUri = single("redirect_uri");
  // exact string match against a registered URI: no prefix, no normalisation (RFC 9700 2.1)
  if (!redirectUri || redirectUri === "repeated" || !redirectUrisOf(agent).includes(redirectUri)) {
    return { kind: "fatal", message: `The redirect_uri is missing or not one registered for agent ${agent.name}.` };
  }

  const stateParam = single("state");
  const state = stateParam === "repeated" ? null : stateParam;
  const fail = (error: AuthorizeErrorCode, description: string): ParsedAuthorization => ({ kind: "redirect", url: errorRedirect(redirectUri, error, description, state) });

  for (const name of ["response_type", "scope", "state", "code_challenge", "code_challenge_method", "node", "duration", "resource"]) {
    if (single(name) === "repeated") return fail("invalid_request", `${name} is repeated`);
  }
  if (state !== null && state.length > MAX_STATE_LENGTH) return fail("invalid_request", "state is too long");

  const responseType = single("response_type");
  if (!responseType) return fail("invalid_request", "response_type is required");
  if (responseType !== "code") return fail("unsupported_response_type", "Only response_type=code is supported");

  // PKCE is required, and only S256: `plain` would put the verifier itself in the front channel
  const method = single("code_challenge_method");
  const challenge = single("code_challenge");
  if (!challenge) return fail("invalid_request", "code_challenge is required (PKCE, S256)");
  if (method !== "S256") return fail("invalid_request", "code_challenge_method must be S256");
  if (!CODE_CHALLENGE_PATTERN.test(challenge)) return fail("invalid_request", "code_challenge must be a base64url SHA-256 digest (43 characters)");

  const loaded = await currentAuthz(db, now.getTime());
  const allowed = agent.allowedScopes.split(" ").filter(Boolean);
  const scope = single("scope");
  let tools: string[];
  if (scope === null || scope.trim() === "") {
    tools = allowed; // RFC 6749 3.3: the documented default is everything the agent may use
  } else {
    tools = [...new Set(scope.split(" ").filter(Boolean))];
    if (tools.some((t) => !SCOPE_PATTERN.test(t) || t.length > 100)) return fail("invalid_scope", "scope must be space-separated tool names");
    const refused = tools.filter((t) => !allowed.includes(t));
    if (refused.length > 0) return fail("invalid_scope", `Not allowed for this agent: ${refused.join(" ")}`);
  }
  const unknown = tools.filter((t) => !loaded.snapshot.tools.has(t));
  if (unknown.length > 0) return fail("invalid_scope", `Unknown tools: ${unknown.join(" ")}`);
  if (tools.length === 0) return fail("invalid_scope", "No tools were requested and the agent is allowed none");

  const resource = single("resource");
  if (resource !== null && (!URL.canParse(resource) || resource.includes("#") || looksLikeSecret(resource) || resource.length > 2000)) {
    return fail("invalid_target", "resource must be an absolute URI without a fragment");
  }

  const node = single("node");
  let nodeId: string | null = null;
  if (node !== null) {
    nodeId = node.length <= 2000 ? resolveInSnapshot(loaded, node) : null;
    if (nodeId === null) return fail("invalid_request", "node names no resource of this Deputy");
  }

  const duration = single("duration");
  let durationSeconds = DEFAULT_CONSENT_SECONDS;
  if (duration !== null) {
    if (!/^\d{1,10}$/.test(duration) || Number(duration) < MIN_CONSENT_SECONDS) {
      return fail("invalid_request", `duration must be a whole number of seconds, at least ${MIN_CONSENT_SECONDS}`);
    }
    durationSeconds = Math.min(Number(duration), MAX_CONSENT_SECONDS);
  }

  return {
    kind: "ok",
    request: {
      agent: { id: agent.id, name: agent.name, ownerEmail: agent.owner.email, allowedScopes: allowed },
      redirectUri,
      state,
      codeChallenge: challenge,
      tools,
      nodeId,
      durationSeconds,
      resource,
    },
  };
}
