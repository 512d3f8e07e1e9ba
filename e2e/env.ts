// The environment of the e2e server, shared with tests that run the CLI against the same database.
// E2E_PORT / E2E_IDP_PORT move the servers, so that two runs on one machine do not collide
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_ADMIN = { email: "e2e-admin@deputy.local", password: "e2e-admin-password-123" };

/** the local OpenID Connect provider of the SSO test (e2e/support/oidc-idp.mjs) */
export const E2E_IDP = { port: Number(process.env.E2E_IDP_PORT ?? 3200), clientId: "deputy-e2e", clientSecret: "e2e-idp-client-secret-0123456789" };

export const E2E_ENV: Record<string, string> = {
  DATABASE_URL: "file:./.e2e/e2e.db",
  DEPUTY_DATA_DIR: "./.e2e",
  NEXT_TELEMETRY_DISABLED: "1",
  ADMIN_EMAIL: E2E_ADMIN.email,
  ADMIN_PASSWORD: E2E_ADMIN.password,
  OIDC_ISSUER: `http://127.0.0.1:${E2E_IDP.port}`,
  OIDC_CLIENT_ID: E2E_IDP.clientId,
  OIDC_CLIENT_SECRET: E2E_IDP.clientSecret,
  OIDC_NAME: "Test IdP",
  OIDC_ID_TOKEN_ALG: "ES256",
  // the webhook spec's receiver listens on 127.0.0.1
  DEPUTY_WEBHOOK_ALLOW_PRIVATE: "true",
};
