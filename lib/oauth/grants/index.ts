// The grants the token endpoint serves, by grant_type. Adding a grant is one file and one line here.
import { authorizationCodeGrant } from "./authorization-code";
import { clientCredentialsGrant } from "./client-credentials";
import { tokenExchangeGrant } from "./token-exchange";
import type { GrantHandler } from "./types";

export const GRANTS: Record<string, GrantHandler> = {
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  "urn:ietf:params:oauth:grant-type:token-exchange": tokenExchangeGrant,
};

export const SUPPORTED_GRANT_TYPES = Object.keys(GRANTS);
