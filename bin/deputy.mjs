#!/usr/bin/env node
// The `deputy` command (also `npm run cli -- ...`). Runs the TypeScript CLI through tsx, so that it shares lib/
// with the server as source, with no separate build.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
await import("../cli/main.ts");
