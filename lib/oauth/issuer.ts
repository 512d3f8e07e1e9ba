// Deputy's identity as an authorization server: the issuer is its public URL, endpoints hang off it.
import { env } from "@/lib/env";

export function issuer(): string {
  return env().NEXTAUTH_URL.replace(/\/+$/, "");
}

export const endpoints = {
  token: () => `${issuer()}/oauth/token`,
  introspection: () => `${issuer()}/oauth/introspect`,
  revocation: () => `${issuer()}/oauth/revoke`,
  jwks: () => `${issuer()}/.well-known/jwks.json`,
};
