// The grants the token endpoint serves, by grant_type. Adding a grant is one file and one line here.
import { clientCredentialsGrant } from "./client-credentials";
import type { GrantHandler } from "./types";

export const GRANTS: Record<string, GrantHandler> = {
  client_credentials: clientCredentialsGrant,
};

export const SUPPORTED_GRANT_TYPES = Object.keys(GRANTS);
