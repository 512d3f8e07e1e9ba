// Brings the database to the latest migration (SQLite file by default, or DATABASE_URL's PostgreSQL).
// Safe to run on every start and from several instances at once (Prisma takes a migration lock).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

// a relative SQLite path is the caller's; Prisma then runs from the repository root, wherever we were started
const raw = process.env.DATABASE_URL || "file:./data/deputy.db";
const url = raw.startsWith("file:") ? `file:${path.resolve(raw.slice(5))}` : raw;
process.chdir(new URL("..", import.meta.url).pathname);
if (url.startsWith("file:")) {
  fs.mkdirSync(path.dirname(path.resolve(url.slice(5))), { recursive: true, mode: 0o700 });
}
try {
  execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: url } });
} catch (e) {
  console.error(`Could not migrate the database:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  process.exit(1);
}
if (url.startsWith("file:")) {
  // WAL: readers never wait for the writer; the mode is stored in the file, so once is enough
  const db = new Database(path.resolve(url.slice(5)));
  db.pragma("journal_mode = WAL");
  db.close();
}
console.log(`database ready (${url.startsWith("file:") ? "SQLite" : "PostgreSQL"})`);
