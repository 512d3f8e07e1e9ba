// Types for chain-link.mjs (plain JavaScript, shared with the SQLite append worker).
export type ChainContent = {
  id: string;
  createdAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  details: string;
  ip: string | null;
  seq: number;
};
export type ChainHead = { seq: number; hash: string };
export declare const CHECKPOINT_EVERY: number;
export declare function chainContentJson(row: ChainContent): string;
export declare function eventHash(prevHash: string, row: ChainContent): string;
export declare function chainHashes(head: ChainHead, rows: Omit<ChainContent, "seq">[]): string[];
export declare function crossesCheckpoint(from: number, to: number): boolean;
export declare function signCheckpoint(key: Buffer, seq: number, hash: string): string;
