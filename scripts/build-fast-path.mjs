// Bundles lib/fast-path/handlers.ts for server.mjs, which Next does not compile. Packages stay external (one copy of
// Prisma, jose, ...); shared state lives on globalThis, so this bundle and Next's share the database client and keys.
import { build } from "esbuild";

await build({
  entryPoints: ["lib/fast-path/handlers.ts"],
  outfile: ".next/deputy-fast-path.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  alias: { "@": "." },
  logLevel: "warning",
});
console.log("bundled the fast-path handlers into .next/deputy-fast-path.mjs");
