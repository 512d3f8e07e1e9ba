// Worker-thread scripts are plain .mjs files under lib/, run as they are. They are resolved from the working directory,
// like relative SQLite paths: the server, tests, CLI and benchmarks run from the repository root, and a bundle's own
// location (.next/...) says nothing about where lib/ is. Null when the file is not there.
import { existsSync } from "node:fs";
import path from "node:path";

export function workerScript(relativePath: string): string | null {
  const file = path.resolve(relativePath);
  return existsSync(file) ? file : null;
}
