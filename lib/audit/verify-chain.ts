// Walks the audit chain by position, in keyset batches (one index range scan each, constant memory however long the
// trail), recomputes every hash and link, checks the run of positions and every signed checkpoint, and reports the
// first problem with the row it concerns. Rows written before the chain existed (no position, older than every
// chained row) are counted as unchained legacy rows, not reported as tampering.
//
// What it cannot see: someone holding database write access can rewrite the rows after the last checkpoint and the
// head together, consistently. Checkpoints (signed with a key derived from the master key) bound that window to the
// last CHECKPOINT_EVERY events or CHECKPOINT_MAX_AGE_MS.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { CHAIN_HEAD_ID, checkpointSignatureValid, eventHash } from "./chain";

export type ChainProblemKind = "altered" | "deleted" | "inserted" | "checkpoint_mismatch";

export type ChainProblem = {
  kind: ChainProblemKind;
  /** the position concerned (null for an inserted row that has none) */
  seq: number | null;
  /** the event concerned, when there is a row to name */
  eventId: string | null;
  message: string;
};

export type ChainVerification = {
  ok: boolean;
  /** chained rows checked (from `from` up to the head as it was when verification started) */
  checkedEvents: number;
  headSeq: number;
  checkpointsVerified: number;
  /** rows without a position, older than every chained row: written before the chain existed */
  legacyEvents: number;
  problem: ChainProblem | null;
  durationMs: number;
};

/** What the API and the CLI accept: where to start (a seq; default the first). */
export const verifyChainQuery = z.object({ from: z.coerce.number().int().min(1).optional() });

export type VerifyProgress = { checkedEvents: number; headSeq: number };
export type VerifyOptions = { from?: number; onProgress?: (p: VerifyProgress) => void; batchSize?: number };

const SELECT = {
  id: true,
  createdAt: true,
  actorType: true,
  actorId: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  result: true,
  details: true,
  ip: true,
  seq: true,
  prevHash: true,
  hash: true,
} as const;

export async function verifyAuditChain(db: Db, opts: VerifyOptions = {}): Promise<ChainVerification> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 2000;
  const from = Math.max(1, Math.floor(opts.from ?? 1));
  // rows past the head as read here are being appended while we walk: they are left to the next verification
  const head = (await db.auditChainHead.findUnique({ where: { id: CHAIN_HEAD_ID }, select: { seq: true, hash: true } })) ?? { seq: 0, hash: "" };
  const headSeq = head.seq;
  let checkedEvents = 0;
  let checkpointsVerified = 0;
  let minCreatedAt: Date | null = null;
  const result = (problem: ChainProblem | null, legacyEvents = 0): ChainVerification => ({
    ok: problem === null,
    checkedEvents,
    headSeq,
    checkpointsVerified,
    legacyEvents,
    problem,
    durationMs: Math.round(performance.now() - started),
  });

  // where the walk starts: after the row before `from`, whose hash the first row must link to
  let prev: { id: string; seq: number; hash: string } | null = null;
  if (from > 1 && from <= headSeq) {
    const before = await db.auditEvent.findUnique({ where: { seq: from - 1 }, select: { id: true, seq: true, hash: true } });
    if (!before) return result({ kind: "deleted", seq: from - 1, eventId: null, message: `The row at seq ${from - 1} is missing: deleted` });
    prev = { id: before.id, seq: from - 1, hash: before.hash ?? "" };
  }

  // checkpoints are read alongside, in batches of their own
  let checkpoints: { seq: number; hash: string; signature: string }[] = [];
  let cpIndex = 0;
  let cpCursor = from - 1;
  const nextCheckpoint = async () => {
    if (cpIndex >= checkpoints.length) {
      checkpoints = await db.auditCheckpoint.findMany({ where: { seq: { gt: cpCursor, lte: headSeq } }, orderBy: { seq: "asc" }, take: 1000 });
      cpIndex = 0;
      if (checkpoints.length) cpCursor = checkpoints.at(-1)!.seq;
    }
    return checkpoints[cpIndex] ?? null;
  };

  let cursor = from - 1;
  let checkpoint = await nextCheckpoint();
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { seq: { gt: cursor, lte: headSeq } }, orderBy: { seq: "asc" }, take: batchSize, select: SELECT });
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = row.seq!;
      const expected = prev ? prev.seq + 1 : from;
      if (seq < expected) {
        return result({ kind: "inserted", seq, eventId: row.id, message: `Row ${row.id} takes position ${seq}, which is already taken: inserted` });
      }
      if (seq > expected) {
        const gap = seq - 1 === expected ? `seq ${expected} is` : `seq ${expected} to ${seq - 1} are`;
        return result({ kind: "deleted", seq: expected, eventId: row.id, message: `Rows deleted before seq ${seq} (row ${row.id}): ${gap} missing` });
      }
      if (row.hash !== eventHash(row.prevHash ?? "", { ...row, seq })) {
        return result({ kind: "altered", seq, eventId: row.id, message: `Row ${row.id} (seq ${seq}) was altered: its content does not match its hash` });
      }
      if (prev && row.prevHash !== prev.hash) {
        // the row before hashes consistently with its own content but is not what this row was chained to: it was
        // rewritten (hash recomputed) or replaced
        return result({
          kind: "altered",
          seq: prev.seq,
          eventId: prev.id,
          message: `Row ${prev.id} (seq ${prev.seq}) was altered or replaced: row ${row.id} (seq ${seq}) was chained to a different hash`,
        });
      }
      if (!prev && from === 1 && row.prevHash !== "") {
        return result({ kind: "deleted", seq: 1, eventId: row.id, message: `Row ${row.id} (seq 1) links to an earlier row: the chain's beginning was deleted` });
      }
      // (a checkpoint below seq would name a missing row, which the run of positions has already reported)
      if (checkpoint && checkpoint.seq === seq) {
        if (!checkpointSignatureValid(checkpoint.seq, checkpoint.hash, checkpoint.signature)) {
          return result({
            kind: "checkpoint_mismatch",
            seq,
            eventId: row.id,
            message: `The checkpoint at seq ${seq} has an invalid signature: forged or altered (or signed with another master key)`,
          });
        }
        if (checkpoint.hash !== row.hash) {
          return result({
            kind: "checkpoint_mismatch",
            seq,
            eventId: row.id,
            message: `Row ${row.id} (seq ${seq}) does not match the signed checkpoint: the chain up to it was rewritten`,
          });
        }
        checkpointsVerified++;
        cpIndex++;
        checkpoint = await nextCheckpoint();
      }
      if (!minCreatedAt || row.createdAt < minCreatedAt) minCreatedAt = row.createdAt;
      prev = { id: row.id, seq, hash: row.hash };
      checkedEvents++;
    }
    cursor = rows.at(-1)!.seq!;
    opts.onProgress?.({ checkedEvents, headSeq });
  }

  // the end of the chain must be the head: rows cut off the end, or a last row rewritten, show here
  if (headSeq > 0 && headSeq >= from) {
    if (!prev || prev.seq < headSeq) {
      const after = prev ? `after seq ${prev.seq} (row ${prev.id})` : `from seq ${from}`;
      return result({ kind: "deleted", seq: (prev?.seq ?? from - 1) + 1, eventId: prev?.id ?? null, message: `Rows deleted ${after}: the chain head is at seq ${headSeq}` });
    }
    if (prev.hash !== head.hash) {
      return result({ kind: "altered", seq: prev.seq, eventId: prev.id, message: `Row ${prev.id} (seq ${prev.seq}) was altered or replaced: the chain head records a different hash` });
    }
  }

  // positions past the head, as it is now, were never appended through the head's lock
  const headNow = (await db.auditChainHead.findUnique({ where: { id: CHAIN_HEAD_ID }, select: { seq: true } }))?.seq ?? 0;
  const beyond = await db.auditEvent.findFirst({ where: { seq: { gt: headNow } }, orderBy: { seq: "asc" }, select: { id: true, seq: true } });
  if (beyond) {
    return result({ kind: "inserted", seq: beyond.seq, eventId: beyond.id, message: `Row ${beyond.id} claims seq ${beyond.seq}, past the chain head (${headNow}): inserted` });
  }

  // rows without a position: legacy when older than every chained row, inserted otherwise
  if (from > 1 || !minCreatedAt) {
    const oldest = await db.auditEvent.findFirst({ where: { seq: { not: null } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { createdAt: true } });
    minCreatedAt = oldest?.createdAt ?? null;
  }
  if (minCreatedAt) {
    const unchained = await db.auditEvent.findFirst({ where: { seq: null, createdAt: { gte: minCreatedAt } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } });
    if (unchained) {
      return result({ kind: "inserted", seq: null, eventId: unchained.id, message: `Row ${unchained.id} is not in the chain but is newer than chained rows: inserted` });
    }
  }
  const legacyEvents = await db.auditEvent.count({ where: { seq: null, ...(minCreatedAt ? { createdAt: { lt: minCreatedAt } } : {}) } });
  return result(null, legacyEvents);
}
