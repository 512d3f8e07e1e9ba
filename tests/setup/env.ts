// setupFiles entry of the integration project: runs in each test worker before the test module is imported,
// so lib/env.ts (which parses process.env once) sees the database and secrets that tests/setup/global-db.ts made.
import { inject } from "vitest";
import type {} from "./global-db"; // the ProvidedContext augmentation

Object.assign(process.env, inject("deputyEnv"));
