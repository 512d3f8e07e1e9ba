// The environment of the e2e server, shared with tests that run the CLI against the same database.
export const E2E_PORT = 3100;
export const E2E_ADMIN = { email: "e2e-admin@deputy.local", password: "e2e-admin-password-123" };

export const E2E_ENV: Record<string, string> = {
  DATABASE_URL: "file:./.e2e/e2e.db",
  DEPUTY_DATA_DIR: "./.e2e",
  NEXT_TELEMETRY_DISABLED: "1",
  ADMIN_EMAIL: E2E_ADMIN.email,
  ADMIN_PASSWORD: E2E_ADMIN.password,
};
