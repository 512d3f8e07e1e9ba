// The client metadata a client may register (RFC 7591 section 2), validated strictly. Fields Deputy does not know
// are ignored, as section 2 requires; fields it knows but does not support are refused with the RFC's error codes
// rather than silently dropped, so a client never believes it registered something it did not.
import { z } from "zod";
import { agentNameSchema, allowedScopesSchema } from "@/lib/agents/schemas";
import { looksLikeSecret } from "@/lib/audit/record-event";
import { MAX_REDIRECT_URIS, MAX_REGISTERED_KEYS } from "./limits";
import { RegistrationError } from "./registration-error";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const REGISTRABLE_GRANT_TYPES = ["client_credentials", "authorization_code", TOKEN_EXCHANGE_GRANT] as const;
export const REGISTRABLE_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;

export type GrantType = (typeof REGISTRABLE_GRANT_TYPES)[number];
export type AuthMethod = (typeof REGISTRABLE_AUTH_METHODS)[number];

export type ClientMetadata = {
  client_name: string;
  redirect_uris: string[];
  grant_types: GrantType[];
  response_types: ("code")[];
  token_endpoint_auth_method: AuthMethod;
  /** allowed scopes (tool names), sorted, without duplicates */
  scope: string[];
  jwks?: { keys: Record<string, unknown>[] };
};

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * A redirect URI an agent may register: absolute, no fragment (RFC 6749 3.1.2), no credentials, https, or http on
 * a loopback address only (RFC 8252 7.3): a code sent over plain http elsewhere could be read on the way.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > 2000) return "is longer than 2000 characters";
  if (/\s/.test(uri) || !URL.canParse(uri)) return "is not an absolute URI";
  const url = new URL(uri);
  if (uri.includes("#")) return "must not contain a fragment";
  if (url.username || url.password) return "must not contain credentials";
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) return "must use https (http only on a loopback address)";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must use https";
  if (looksLikeSecret(uri)) return "must not contain a secret";
  return null;
}

const shape = z.object({
  client_name: z.string({ error: "is required: Deputy names every agent" }).pipe(agentNameSchema),
  redirect_uris: z.array(z.string()).max(MAX_REDIRECT_URIS, `at most ${MAX_REDIRECT_URIS}`).optional(),
  // RFC 7591 section 2: authorization_code and its response type "code" when omitted
  grant_types: z.array(z.string()).min(1, "must not be empty").default(["authorization_code"]),
  response_types: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().default("client_secret_basic"),
  scope: z.string().max(10_000).optional(),
  jwks: z
    .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1, "must hold at least one key").max(MAX_REGISTERED_KEYS, `at most ${MAX_REGISTERED_KEYS} keys`) })
    .optional(),
  jwks_uri: z.unknown().optional(),
  software_statement: z.unknown().optional(),
});

const invalid = (description: string) => new RegistrationError("invalid_client_metadata", description);

/** Parses a registration request's body into metadata Deputy will register, or throws the RFC 7591 error. */
export function parseClientMetadata(body: unknown): ClientMetadata {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid("The request body must be a JSON object of client metadata");
  const parsed = shape.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "body";
    const message = `${field}: ${issue.message}`;
    throw issue.path[0] === "redirect_uris" ? new RegistrationError("invalid_redirect_uri", message) : invalid(message);
  }
  const m = parsed.data;
  if (m.software_statement !== undefined) {
    throw new RegistrationError("invalid_software_statement", "Software statements are not accepted here; send the metadata itself");
  }
  if (m.jwks_uri !== undefined) throw invalid("jwks_uri: Deputy never fetches keys; register them inline in jwks");

  const unknownGrant = m.grant_types.find((g) => !(REGISTRABLE_GRANT_TYPES as readonly string[]).includes(g));
  if (unknownGrant !== undefined) throw invalid(`grant_types: ${unknownGrant.slice(0, 100)} is not supported (use ${REGISTRABLE_GRANT_TYPES.join(", ")})`);
  const grantTypes = [...new Set(m.grant_types)] as GrantType[];

  // RFC 7591 section 2.1: response_types and grant_types must agree (code <-> authorization_code)
  const wantsCode = grantTypes.includes("authorization_code");
  const responseTypes = m.response_types ?? (wantsCode ? ["code"] : []);
  if (responseTypes.some((r) => r !== "code")) throw invalid('response_types: only "code" is supported');
  if (responseTypes.includes("code") !== wantsCode) {
    throw invalid('response_types: "code" goes with the authorization_code grant type, and only with it');
  }

  const redirectUris = [...new Set(m.redirect_uris ?? [])];
  if (wantsCode && redirectUris.length === 0) {
    throw new RegistrationError("invalid_redirect_uri", "redirect_uris: the authorization_code grant type needs at least one redirect URI");
  }
  if (!wantsCode && redirectUris.length > 0) {
    throw new RegistrationError("invalid_redirect_uri", "redirect_uris: only clients of the authorization_code grant type have redirect URIs");
  }
  for (const [i, uri] of redirectUris.entries()) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new RegistrationError("invalid_redirect_uri", `redirect_uris.${i}: ${problem}`);
  }

  const method = m.token_endpoint_auth_method;
  if (!(REGISTRABLE_AUTH_METHODS as readonly string[]).includes(method)) {
    throw invalid(`token_endpoint_auth_method: ${method.slice(0, 100)} is not supported (use ${REGISTRABLE_AUTH_METHODS.join(", ")})`);
  }
  if (method === "private_key_jwt" && !m.jwks) throw invalid("jwks: private_key_jwt needs the client's public keys inline");
  if (method !== "private_key_jwt" && m.jwks) throw invalid("jwks: keys are registered only with token_endpoint_auth_method private_key_jwt");

  const scope = allowedScopesSchema.safeParse(m.scope ?? []);
  if (!scope.success) throw invalid(`scope: ${scope.error.issues[0]!.message}`);

  return {
    client_name: m.client_name,
    redirect_uris: redirectUris,
    grant_types: grantTypes,
    response_types: responseTypes as "code"[],
    token_endpoint_auth_method: method as AuthMethod,
    scope: scope.data,
    ...(m.jwks ? { jwks: m.jwks } : {}),
  };
}
