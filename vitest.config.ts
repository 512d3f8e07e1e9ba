import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Two projects: `unit` (no database) and `integration` (one fresh, migrated database per run, created by
// tests/setup/global-db.ts on SQLite by default or on the PostgreSQL server that DATABASE_URL names).
//   npm run test:unit         -> vitest run --project unit
//   npm run test:integration  -> vitest run --project integration
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    environment: "node",
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["lib/**/*.test.ts", "tests/unit/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          environment: "node",
          include: ["tests/integration/**/*.test.ts"],
          // creates and migrates the database, then hands its URL and the app's secrets to the workers (provide)
          globalSetup: ["tests/setup/global-db.ts"],
          // copies the provided values into process.env before any test module imports lib/*
          setupFiles: ["tests/setup/env.ts"],
          // one shared database: test files run one after another
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
