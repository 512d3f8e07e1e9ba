// A transaction on SQLite holds the write lock from its start. Another connection (the audit worker, the CLI) that
// commits between a transaction's first read and its first write would otherwise make that write fail at once with
// SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out: CI saw `deputy agent create` fail so while the server wrote.
// SQLite only: PostgreSQL's transactions read committed data and have no such upgrade.
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { absoluteDatabaseUrl } from "@/lib/db/url";
import { databaseProvider, getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createUser } from "@/lib/users/create-user";
import { testActor, uniqueEmail, uniqueTag } from "../helpers/factories";

it.skipIf(databaseProvider() === "postgresql")(
  "a transaction that reads, then writes after another connection tried to commit, commits; the other is refused until then",
  async () => {
    const other = new Database(absoluteDatabaseUrl(env().DATABASE_URL).slice("file:".length), { timeout: 0 });
    const key = `test-probe-${uniqueTag()}`;
    const otherWrite = () => other.prepare(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, '1', ?)`).run(key, Date.now());
    const email = uniqueEmail("in-transaction");
    let otherError: unknown;
    try {
      const { user } = await getDb().$transaction(async (tx) => {
        await tx.user.count(); // a read: with a plain BEGIN this opened a read snapshot only
        try {
          otherWrite(); // committed here, it would leave the snapshot behind and the write below would fail
        } catch (e) {
          otherError = e;
        }
        return createUser(tx, { email, role: "viewer" }, testActor);
      });
      expect(user.email).toBe(email);
      expect((otherError as { code?: string } | undefined)?.code).toBe("SQLITE_BUSY");
      otherWrite(); // the lock is free again once the transaction committed
      expect(other.prepare(`SELECT "value" FROM "Setting" WHERE "key" = ?`).pluck().get(key)).toBe("1");
    } finally {
      other.prepare(`DELETE FROM "Setting" WHERE "key" = ?`).run(key);
      other.close();
    }
  },
);
