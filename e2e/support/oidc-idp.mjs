// A local OpenID Connect provider for the SSO end-to-end test (node-oidc-provider with its development login and
// consent pages). The login typed on its page is the account id and the email, verified. Started by Playwright
// before Deputy; OIDC_IDP_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and DEPUTY_URL come from playwright.config.ts.
import http from "node:http";
import { exportJWK, generateKeyPair } from "jose";

console.info = console.warn = () => {}; // its quick-start notices (in-memory adapter, dev interactions)
process.removeAllListeners("warning");
const { default: Provider } = await import("oidc-provider");

const port = Number(process.env.OIDC_IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = await generateKeyPair("ES256", { extractable: true });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [`${process.env.DEPUTY_URL}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      id_token_signed_response_alg: "ES256",
    },
  ],
  jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "ES256", use: "sig", kid: "idp" }] },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, email: id, email_verified: true, name: id.split("@")[0] }),
  }),
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  // put the requested claims (email) in the ID token itself, as most providers do; Deputy reads the ID token
  conformIdTokenClaims: false,
});
// plain http on 127.0.0.1 is a test set-up: let the provider think the connection is secure for its cookies
provider.proxy = true;
const server = http.createServer((req, res) => {
  if (req.url === "/health") return res.end("ok");
  req.headers["x-forwarded-proto"] = "http";
  provider.callback()(req, res);
});
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
