// A read-only SQLite connection for point reads on the decision hot path, with its prepared statements kept.
// Through the ORM one such read costs about a millisecond of event loop here (query compilation, a fresh statement,
// an object per column); straight from the driver it costs microseconds.
//
// Its own connection: it sees what has committed (WAL readers read a snapshot of the last commit), never what an
// open transaction on Prisma's connection has not committed yet. Callers inside a transaction must use that
// transaction instead.
import Database from "better-sqlite3";
import { env } from "@/lib/env";
import { absoluteDatabaseUrl } from "./url";

type Reader = { file: string; db: Database.Database; statements: Map<string, Database.Statement> };

const g = globalThis as unknown as { __deputySqliteReader?: Reader };

/** Runs a read-only statement (kept prepared) and returns its rows as arrays. */
export function sqliteReadRows(sql: string, params: unknown[]): unknown[][] {
  const file = absoluteDatabaseUrl(env().DATABASE_URL).slice("file:".length);
  let reader = g.__deputySqliteReader;
  if (reader?.file !== file) {
    // the configured file changed (tests switch databases): the old connection goes
    reader?.db.close();
    reader = g.__deputySqliteReader = { file, db: new Database(file, { readonly: true, fileMustExist: true }), statements: new Map() };
  }
  let statement = reader.statements.get(sql);
  if (!statement) reader.statements.set(sql, (statement = reader.db.prepare(sql).raw(true)));
  return statement.all(...params) as unknown[][];
}
