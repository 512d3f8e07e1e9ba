import path from "node:path";
import { defineConfig } from "prisma/config";
import { absoluteDatabaseUrl, DEFAULT_DATABASE_URL, providerOf } from "./lib/db/url";

// DATABASE_URL picks the provider: file:... is SQLite (the default), postgres://... is PostgreSQL.
const url = absoluteDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const provider = providerOf(url);

// Prisma 7's CLI would download a native schema-engine; offline we use the WebAssembly build through a stand-in
// (scripts/prisma-schema-engine.mjs), so installing and migrating need nothing but the npm registry.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/prisma-schema-engine.mjs");

export default defineConfig({
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  datasource: { url },
});
