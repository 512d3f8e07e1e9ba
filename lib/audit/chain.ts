// The audit trail's hash chain. Every event takes the next position (seq = head.seq + 1), stores the previous event's
// hash (prevHash, "" for the first) and its own hash = SHA-256(prevHash + canonical content). Changing, removing or
// inserting a row therefore breaks a hash, a link or the run of positions, and verify-chain.ts names the row.
//
// Invariant: positions are assigned only under the chain head's lock, so two writers can never both take position
// N (which would fork the chain). PostgreSQL: `SELECT ... FOR UPDATE` on the AuditChainHead row, held until the
// transaction commits. SQLite: the database's single write lock (our first statement here is a write, so it is taken
// before the head is read; the batcher's own connection uses BEGIN IMMEDIATE).
//
// Checkpoints: a signed statement "row seq has hash h" (HMAC under a key derived from the master key), written in
// the same transaction every CHECKPOINT_EVERY events, and by a timer at most CHECKPOINT_MAX_AGE_MS after a write.
// Without the master key, a rewritten history cannot match its checkpoints.
import { timingSafeEqual } from "node:crypto";
import { Prisma } from "@/generated/sqlite/client";
import { deriveKey } from "@/lib/crypto/master-key";
import { type DbClient, databaseProvider, getDb } from "@/lib/db/client";
import { type ChainHead, chainHashes, crossesCheckpoint, signCheckpoint } from "./chain-link.mjs";
import type { toAuditRow } from "./record-event";

export { type ChainContent, type ChainHead, CHECKPOINT_EVERY, chainContentJson, chainHashes, crossesCheckpoint, eventHash } from "./chain-link.mjs";

export type AuditRow = ReturnType<typeof toAuditRow>;
export type ChainedRow = AuditRow & { seq: number; prevHash: string; hash: string };

export const CHECKPOINT_MAX_AGE_MS = 60_000;
export const CHAIN_HEAD_ID = 1;
/**
 * For transactions opened only to append: they queue behind other writers for the head's lock (and, on PostgreSQL,
 * for a pooled connection), so a burst must not hit Prisma's default 2 s wait for a transaction to start.
 */
export const APPEND_TRANSACTION = { maxWait: 10_000, timeout: 15_000 };

/** Rows after the head with their positions and hashes (hashes from chainHashes, or computed here). */
export function withLinks(head: ChainHead, rows: AuditRow[], hashes = chainHashes(head, rows)): ChainedRow[] {
  return rows.map((row, i) => ({ ...row, seq: head.seq + 1 + i, prevHash: i ? hashes[i - 1]! : head.hash, hash: hashes[i]! }));
}

/** Links rows after the head, in order. Returns them with their positions and hashes, and the new head. */
export function linkRows(head: ChainHead, rows: AuditRow[]): { linked: ChainedRow[]; head: ChainHead } {
  const linked = withLinks(head, rows);
  const last = linked[linked.length - 1];
  return { linked, head: last ? { seq: last.seq, hash: last.hash } : head };
}

/** The key checkpoints are signed with (derived from the master key). */
export function checkpointKey(): Buffer {
  return (cachedCheckpointKey ??= deriveKey("audit-checkpoint-v1"));
}
let cachedCheckpointKey: Buffer | undefined;

export function checkpointSignature(seq: number, hash: string): string {
  return signCheckpoint(checkpointKey(), seq, hash);
}

export function checkpointSignatureValid(seq: number, hash: string, signature: string): boolean {
  const expected = Buffer.from(checkpointSignature(seq, hash), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------------------------------------------------------
// Appending through Prisma (recordAuditEvent inside a caller's transaction; the PostgreSQL batcher)

type HeadRow = { seq: number | bigint; hash: string };
const toHead = (r: HeadRow): ChainHead => ({ seq: Number(r.seq), hash: r.hash });

/** The chain head, locked until tx ends; created (seq 0, hash "") when missing. */
async function lockHead(tx: Prisma.TransactionClient, now: Date): Promise<ChainHead> {
  if (databaseProvider() === "postgresql") {
    const rows = await tx.$queryRaw<HeadRow[]>`SELECT "seq", "hash" FROM "AuditChainHead" WHERE "id" = ${CHAIN_HEAD_ID} FOR UPDATE`;
    if (rows[0]) return toHead(rows[0]);
    // two first writers may race here: one inserts, the other waits for it and then locks the row it made
    await tx.$executeRaw`INSERT INTO "AuditChainHead" ("id", "seq", "hash", "updatedAt") VALUES (${CHAIN_HEAD_ID}, 0, '', ${now}) ON CONFLICT ("id") DO NOTHING`;
    const again = await tx.$queryRaw<HeadRow[]>`SELECT "seq", "hash" FROM "AuditChainHead" WHERE "id" = ${CHAIN_HEAD_ID} FOR UPDATE`;
    return toHead(again[0]!);
  }
  // SQLite: a write first, so that this transaction holds the write lock before it reads the head
  const rows = await tx.$queryRaw<HeadRow[]>`UPDATE "AuditChainHead" SET "seq" = "seq" WHERE "id" = ${CHAIN_HEAD_ID} RETURNING "seq", "hash"`;
  if (rows[0]) return toHead(rows[0]);
  await tx.$executeRaw`INSERT INTO "AuditChainHead" ("id", "seq", "hash", "updatedAt") VALUES (${CHAIN_HEAD_ID}, 0, '', ${now})`;
  return { seq: 0, hash: "" };
}

/** Appends rows to the chain inside tx (a transaction): one head lock, one insert and one head update per call. */
export async function appendToChain(tx: Prisma.TransactionClient, rows: AuditRow[], now = new Date()): Promise<ChainedRow[]> {
  const head = await lockHead(tx, now);
  const { linked, head: next } = linkRows(head, rows);
  const tuples = linked.map(
    (r) =>
      Prisma.sql`(${r.id}, ${r.createdAt}, ${r.actorType}, ${r.actorId}, ${r.actorLabel}, ${r.action}, ${r.targetType}, ${r.targetId}, ${r.result}, ${r.details}, ${r.ip}, ${r.seq}, ${r.prevHash}, ${r.hash})`,
  );
  await tx.$executeRaw`INSERT INTO "AuditEvent" ("id", "createdAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "details", "ip", "seq", "prevHash", "hash") VALUES ${Prisma.join(tuples)}`;
  await tx.$executeRaw`UPDATE "AuditChainHead" SET "seq" = ${next.seq}, "hash" = ${next.hash}, "updatedAt" = ${now} WHERE "id" = ${CHAIN_HEAD_ID}`;
  if (crossesCheckpoint(head.seq, next.seq)) {
    await tx.$executeRaw`INSERT INTO "AuditCheckpoint" ("seq", "hash", "signature", "createdAt") VALUES (${next.seq}, ${next.hash}, ${checkpointSignature(next.seq, next.hash)}, ${now})`;
  }
  scheduleCheckpoint();
  return linked;
}

// ---------------------------------------------------------------------------------------------------------------
// Time-based checkpoints: at most CHECKPOINT_MAX_AGE_MS after this process wrote, the committed head is signed. No
// lock is needed: the head row always holds a committed (seq, hash) pair, and a checkpoint's seq is its key.

/** Signs the committed head unless it is empty or already checkpointed. Returns the checkpoint's seq, or null. */
export async function checkpointHead(db: DbClient, now = new Date()): Promise<number | null> {
  const rows = await db.$queryRaw<HeadRow[]>`SELECT "seq", "hash" FROM "AuditChainHead" WHERE "id" = ${CHAIN_HEAD_ID}`;
  const head = rows[0] && toHead(rows[0]);
  if (!head || head.seq === 0) return null;
  const written = await db.$executeRaw`INSERT INTO "AuditCheckpoint" ("seq", "hash", "signature", "createdAt") VALUES (${head.seq}, ${head.hash}, ${checkpointSignature(head.seq, head.hash)}, ${now}) ON CONFLICT ("seq") DO NOTHING`;
  return written ? head.seq : null;
}

const g = globalThis as unknown as { __deputyAuditCheckpointTimer?: NodeJS.Timeout };

/** After a write: make sure a checkpoint follows within CHECKPOINT_MAX_AGE_MS (one timer per process). */
export function scheduleCheckpoint(): void {
  if (g.__deputyAuditCheckpointTimer) return;
  g.__deputyAuditCheckpointTimer = setTimeout(() => {
    g.__deputyAuditCheckpointTimer = undefined;
    checkpointHead(getDb()).catch((e: unknown) => console.error("audit checkpoint failed", e));
  }, CHECKPOINT_MAX_AGE_MS);
  // a short-lived process (the CLI) does not wait for it; the server's next write schedules one again
  g.__deputyAuditCheckpointTimer.unref();
}
