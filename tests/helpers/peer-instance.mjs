// A second Deputy instance for the multi-instance tests: a plain Node process that serves the hot endpoints
// (introspection, decisions, token) through the same handlers server.mjs serves, from lib/ as source via tsx (no
// build needed). It shares nothing with the test process but the database named by DATABASE_URL. Prints its port.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../../tsconfig.json", import.meta.url).pathname });
await import("./peer-server.ts");
