// RFC 8414 authorization server metadata: what a standard OAuth client needs to discover Deputy.
import { ASSERTION_ALGS } from "./client-auth";
import { SUPPORTED_GRANT_TYPES } from "./grants";
import { endpoints, issuer } from "./issuer";

const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"];

export function authorizationServerMetadata() {
  return {
    issuer: issuer(),
    token_endpoint: endpoints.token(),
    jwks_uri: endpoints.jwks(),
    introspection_endpoint: endpoints.introspection(),
    revocation_endpoint: endpoints.revocation(),
    grant_types_supported: SUPPORTED_GRANT_TYPES,
    response_types_supported: [],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    introspection_endpoint_auth_methods_supported: [...AUTH_METHODS, "bearer"],
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    scopes_supported: [],
    service_documentation: `${issuer()}/api/v1/openapi.json`,
  };
}
