// npm run bench -- <name> [options]: runs bench/<name>.mjs, whose main(argv) resolves an exit code.
import { BenchError, stopAll } from "./harness.mjs";

const BENCHES = {
  token: "client_credentials token issuance, Deputy vs node-oidc-provider",
  decisions: "decisions on 100k nodes / 1M grants: in process (Deputy vs casbin), then over HTTP",
  audit: "decisions per second in process with and without the chained audit write",
};

const USAGE = `Usage: npm run bench -- <name> [options]   (or: node bench/run.mjs <name> [options])

${Object.entries(BENCHES)
  .map(([name, what]) => `  ${name.padEnd(8)} ${what}`)
  .join("\n")}

Run \`npm run bench -- <name> --help\` for a benchmark's options.`;

const [name, ...argv] = process.argv.slice(2);
if (!Object.hasOwn(BENCHES, name ?? "")) {
  console.error(name && name !== "--help" ? `bench: unknown benchmark: ${name}\n\n${USAGE}` : USAGE);
  process.exit(name === "--help" ? 0 : 2);
}

let code;
try {
  const { main } = await import(`./${name}.mjs`);
  code = await main(argv);
} catch (e) {
  console.error(e instanceof BenchError ? `\nbench ${name}: ${e.message}` : e);
  code = 1;
}
await stopAll();
process.exit(code);
