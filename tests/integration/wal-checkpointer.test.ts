// The WAL checkpointer thread (lib/db/wal-checkpointer.ts) copies the WAL into the database file with no writer's
// help, so that no connection answering requests ever checkpoints. Its RESTART attempt matters only while readers
// keep a busy WAL from restarting, a timing this test cannot stage reliably; what it checks is the copy, and that
// the WAL starts again from its start after it. Its own SQLite file, whatever the provider.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { RESTART_AFTER_FRAMES, startWalCheckpointer } from "@/lib/db/wal-checkpointer";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-wal-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Frames in the WAL as its index says (0 right after a restart). A passive checkpoint waits for nothing. */
function walFrames(file: string): number {
  const probe = new Database(file, { timeout: 0 });
  try {
    return (probe.pragma("wal_checkpoint(PASSIVE)") as { log: number }[])[0]!.log;
  } finally {
    probe.close();
  }
}

/** Rows the database file itself holds, without its WAL: what checkpoints have copied so far. */
function rowsInDatabaseFile(file: string): number {
  const copy = `${file}.copy-${Date.now()}`;
  fs.copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n;
  } finally {
    db.close();
    fs.rmSync(copy, { force: true });
  }
}

it("copies the WAL into the database file on its own; the next write starts the WAL again from its start", async () => {
  const file = path.join(dir, "wal.db");
  const writer = new Database(file);
  writer.pragma("journal_mode = WAL");
  writer.pragma("wal_autocheckpoint = 0"); // the thread alone checkpoints this file
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  writer.pragma("wal_checkpoint(TRUNCATE)"); // the table is in the database file; the rows will not be
  const rows = RESTART_AFTER_FRAMES + 500;
  const insert = writer.prepare("INSERT INTO t (v) VALUES (?)");
  // one transaction per row: one frame each at least, more than the restart threshold in all
  for (let i = 0; i < rows; i++) insert.run(`row ${i}`);
  expect(rowsInDatabaseFile(file)).toBe(0);

  expect(startWalCheckpointer(file)).toBe(true);
  const deadline = Date.now() + 5_000;
  let copied = 0;
  while ((copied = rowsInDatabaseFile(file)) < rows && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(copied).toBe(rows);

  expect(walFrames(file)).toBeGreaterThanOrEqual(RESTART_AFTER_FRAMES);
  insert.run("after the checkpoint");
  expect(walFrames(file)).toBeLessThan(10);
  writer.close();
});
