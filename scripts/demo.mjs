// npm run demo: migrate the SQLite file (or DATABASE_URL), seed a first admin and a demo world into an empty
// database (printing the generated passwords once), build when the sources changed, and serve the console on
// http://localhost:3000 (PORT to change it). Run it again any time: existing data is kept.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.env.PORT || "3000";
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
};
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit", env });

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

run("node", ["scripts/prepare-db.mjs"]);
run("node", ["bin/deputy.mjs", "seed"]);

const buildId = ".next/BUILD_ID";
const sources = Math.max(...["app", "lib", "components", "proxy.ts", "next.config.js", "package.json"].map((p) =>
  fs.statSync(p).isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs,
));
if (!fs.existsSync(buildId) || fs.statSync(buildId).mtimeMs < sources) run("npm", ["run", "build"]);
else console.log("build is up to date");

console.log(`\nDeputy console: ${env.NEXTAUTH_URL}  (Ctrl-C to stop)\n`);
const server = spawn("node", ["server.mjs"], { stdio: "inherit", env: { ...env, PORT: port } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
