import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "@/generated/postgresql/client";
import { type Prisma, PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { env } from "@/lib/env";
import { SAFETY_NET_PAGES, startWalCheckpointer } from "./wal-checkpointer";
import { absoluteDatabaseUrl, providerOf } from "./url";

// One codebase, two providers: both clients are generated from prisma/schema.base.prisma and DATABASE_URL picks one
// at run time. The PostgreSQL client's types are a superset, so the code is typed against the SQLite client.
export type DbClient = SqliteClient;
/** What use cases take: the client, or the transaction they run in. */
export type Db = DbClient | Prisma.TransactionClient;

// SQLite runs in WAL mode (set once per file by scripts/prepare-db.mjs). synchronous=NORMAL is per connection: in WAL
// mode a commit then survives a crash of the process (only an OS crash or power loss can undo the last commits),
// and commits stop waiting on fsync, which is most of their cost. Checkpoints (and their fsync) run on a thread of
// their own (sqlite-checkpoint-worker.mjs); the automatic one stays only as a far-off safety net.
class TunedSqliteAdapter extends PrismaBetterSqlite3 {
  constructor(private readonly file: string, timeout: number) {
    super({ url: `file:${file}`, timeout });
  }

  override async connect() {
    const adapter = await super.connect();
    beginImmediately(adapter);
    const background = startWalCheckpointer(this.file);
    await adapter.executeScript(`PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;${background ? ` PRAGMA wal_autocheckpoint = ${SAFETY_NET_PAGES};` : ""}`);
    return adapter;
  }
}

// The adapter opens transactions with a plain BEGIN, which takes the write lock only at the first write. If another
// connection (the audit worker, the CLI) commits between a transaction's first read and its first write, that write
// fails at once with SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out (Prisma reports it as "Operation has timed
// out"). Every transaction here writes, so each takes the write lock when it begins, waiting for it like any write.
function beginImmediately(adapter: object) {
  const client = (adapter as { client?: Database.Database }).client;
  if (typeof client?.prepare !== "function") throw new Error("the SQLite adapter no longer exposes its connection: check beginImmediately");
  const prepare = client.prepare.bind(client);
  client.prepare = ((sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)) as typeof client.prepare;
}

function createClient(): DbClient {
  const url = absoluteDatabaseUrl(env().DATABASE_URL);
  if (providerOf(url) === "postgresql") {
    return new PgClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as DbClient;
  }
  // busy timeout: concurrent writers wait for the lock instead of failing (the file is in WAL mode, see prepare-db)
  return new SqliteClient({ adapter: new TunedSqliteAdapter(url.slice("file:".length), 10_000) });
}

// One client per process, kept on globalThis so that Next's dev reloads and its separate bundles share it.
const g = globalThis as unknown as { __deputyDb?: DbClient };

export function getDb(): DbClient {
  return (g.__deputyDb ??= createClient());
}

/** Runs fn in a transaction, or inside the caller's transaction when db already is one. */
export function inTransaction<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return "$transaction" in db ? db.$transaction(fn) : fn(db);
}

export function databaseProvider() {
  return providerOf(env().DATABASE_URL);
}
