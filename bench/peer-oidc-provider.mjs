// The peer for the token benchmark: node-oidc-provider issuing client_credentials access tokens as ES256 JWTs.
//
// What it does that Deputy also does per token request: authenticates the client by comparing its secret
// (client_secret_basic), checks the requested scope against what the client and the resource server allow, and
// signs an ES256 JWT access token. The difference: Deputy writes an audit row per issued token to its database;
// oidc-provider here uses its in-memory adapter and stores nothing durable (JWT access tokens are not stored at
// all), so it is a lower bound on the work a token request needs.
//
// Started by bench/token.mjs with PEER_CLIENT_ID and PEER_CLIENT_SECRET in the environment. Listens on a free port
// on 127.0.0.1 and prints one line, `READY <issuer>`, when it serves. Its own notices are silenced.
import http from "node:http";
import { exportJWK, generateKeyPair } from "jose";

// oidc-provider prints quick-start notices through console.info/warn (in-memory adapter, Node version): not wanted
// here. Errors (console.error) still reach the benchmark, which shows them if the peer fails.
console.info = console.warn = () => {};
process.removeAllListeners("warning");
const { default: Provider } = await import("oidc-provider");

const RESOURCE = "https://api.bench.example/"; // the one resource server every token is for

const { privateKey } = await generateKeyPair("ES256", { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), alg: "ES256", use: "sig", kid: "bench-es256" };

// Listen first, so that the issuer can carry the port the OS chose.
const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.PEER_CLIENT_ID,
      client_secret: process.env.PEER_CLIENT_SECRET,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "ES256", // ES256 is the only key, and the default (RS256) would not validate
      scope: "bench.read bench.write",
    },
  ],
  scopes: ["bench.read", "bench.write"], // the client's `scope` may only name scopes the server lists here
  jwks: { keys: [signingKey] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      getResourceServerInfo: () => ({
        scope: "bench.read bench.write",
        accessTokenFormat: "jwt",
        accessTokenTTL: 600,
        jwt: { sign: { alg: "ES256" } },
      }),
      useGrantedResource: () => true,
    },
  },
});
provider.on("server_error", (_ctx, err) => console.error("server_error:", err));

server.on("request", provider.callback());
console.log(`READY ${issuer}`);

process.on("SIGTERM", () => process.exit(0));
