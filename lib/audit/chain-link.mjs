// The pure part of the audit hash chain, in plain JavaScript so that the SQLite append worker
// (sqlite-append-worker.mjs) runs the very same code as the app without a build step. chain.ts re-exports it with
// types (chain-link.d.mts); read chain.ts for the chain's design.
import { createHash, createHmac } from "node:crypto";

export const CHECKPOINT_EVERY = 1000;

/**
 * The canonical JSON of a row's chained content. Equal to canonicalJson() of the same fields (chain.test.ts checks
 * it): the keys are written here already sorted and every value is a scalar, so the generic key sort is skipped on
 * this hot path.
 */
export function chainContentJson(row) {
  return JSON.stringify({
    action: row.action,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    actorType: row.actorType,
    createdAt: row.createdAt.toISOString(),
    details: row.details,
    id: row.id,
    ip: row.ip,
    result: row.result,
    seq: row.seq,
    targetId: row.targetId,
    targetType: row.targetType,
  });
}

export function eventHash(prevHash, row) {
  return createHash("sha256").update(prevHash).update(chainContentJson(row)).digest("hex");
}

/** The hashes of rows appended after the head, in order (row i takes position head.seq + 1 + i). */
export function chainHashes(head, rows) {
  let hash = head.hash;
  return rows.map((row, i) => (hash = eventHash(hash, { ...row, seq: head.seq + 1 + i })));
}

/** Whether appending from `from` to `to` passed a multiple of CHECKPOINT_EVERY (then the new head is checkpointed). */
export const crossesCheckpoint = (from, to) => Math.floor(to / CHECKPOINT_EVERY) > Math.floor(from / CHECKPOINT_EVERY);

/** A checkpoint's signature: "row seq has hash h", under the checkpoint key (derived from the master key). */
export function signCheckpoint(key, seq, hash) {
  return createHmac("sha256", key).update(`${seq}.${hash}`).digest("hex");
}
