// RFC 9728 protected resource metadata for Deputy's own API: the /api/v1 routes agents call with a token from
// /oauth/token (their approvals). Such a token's audience is the issuer (a token asked for without `resource`), so
// the resource identifier here is the issuer itself, and the document lives at the root well-known URL only: a
// path-suffixed document for /api/v1 would have to name `${issuer}/api/v1` as its resource (RFC 9728 section 3.3),
// and a token for that audience is refused by the agent API.
import { issuer } from "./issuer";

export const PROTECTED_RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

export function protectedResourceMetadataUrl(): string {
  return `${issuer()}${PROTECTED_RESOURCE_METADATA_PATH}`;
}

/** The WWW-Authenticate value of a 401 from a token-authenticated route (RFC 9728 section 5.1, RFC 6750 3.1). */
export function bearerChallenge(error?: "invalid_token"): string {
  return `Bearer realm="deputy", ${error ? `error="${error}", ` : ""}resource_metadata="${protectedResourceMetadataUrl()}"`;
}

export function protectedResourceMetadata() {
  return {
    resource: issuer(),
    resource_name: "Deputy API",
    authorization_servers: [issuer()],
    // The API asks for no particular scope (a token's scope names tools, which resource servers check at decision
    // time); listing the tool catalog here would publish it to anyone who asks.
    scopes_supported: [] as string[],
    bearer_methods_supported: ["header"],
    resource_documentation: `${issuer()}/api/v1/openapi.json`,
  };
}
