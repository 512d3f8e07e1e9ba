// RFC 8414 authorization server metadata: what a standard OAuth client needs to discover Deputy.
import { ASSERTION_ALGS } from "./client-auth";
import { SUPPORTED_GRANT_TYPES } from "./grants";
import { endpoints, issuer } from "./issuer";

const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"];

export function authorizationServerMetadata() {
  return {
    issuer: issuer(),
    authorization_endpoint: `${issuer()}/oauth/authorize`,
    token_endpoint: endpoints.token(),
    jwks_uri: endpoints.jwks(),
    introspection_endpoint: endpoints.introspection(),
    revocation_endpoint: endpoints.revocation(),
    // RFC 7591: open only to clients holding an initial access token an admin issued
    registration_endpoint: `${issuer()}/oauth/register`,
    grant_types_supported: SUPPORTED_GRANT_TYPES,
    response_types_supported: ["code"],
    // PKCE is required at /oauth/authorize, and only S256 (lib/consents/authorization-request.ts)
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    introspection_endpoint_auth_methods_supported: [...AUTH_METHODS, "bearer"],
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    scopes_supported: [],
    // RFC 9396 10: the authorization_details type token exchange accepts and delegated tokens carry
    authorization_details_types_supported: ["deputy_resource"],
    service_documentation: `${issuer()}/api/v1/openapi.json`,
  };
}
