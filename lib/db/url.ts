// Which database a DATABASE_URL names. No imports: prisma.config.ts, scripts and the app all share this file.
import path from "node:path";

/** The zero-setup default: a SQLite file under ./data. */
export const DEFAULT_DATABASE_URL = "file:./data/deputy.db";

export type Provider = "sqlite" | "postgresql";

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

/** SQLite paths are made absolute: the Prisma CLI and the app would otherwise resolve relative ones differently. */
export function absoluteDatabaseUrl(url: string): string {
  return url.startsWith("file:") ? `file:${path.resolve(url.slice("file:".length))}` : url;
}

/** The URL with any password replaced, for logs and status output. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
