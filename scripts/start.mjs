// npm start: migrate, then serve the production build (server.mjs) on HOST:PORT (defaults 0.0.0.0:3000).
import { execFileSync, spawn } from "node:child_process";

execFileSync("node", ["scripts/prepare-db.mjs"], { stdio: "inherit" });
const server = spawn("node", ["server.mjs"], { stdio: "inherit", env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
