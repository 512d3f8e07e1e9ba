import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";
import { type ChainContent, chainContentJson, crossesCheckpoint, eventHash, linkRows } from "./chain";
import { toAuditRow } from "./record-event";

const row: ChainContent = {
  id: "evt_01",
  createdAt: new Date("2026-11-29T01:02:03.456Z"),
  actorType: "agent",
  actorId: "agt_1",
  actorLabel: 'say "hi"',
  action: "decision.make",
  targetType: null,
  targetId: null,
  result: "allow",
  details: '{"a":1}',
  ip: null,
  seq: 7,
};

describe("the chain's hash", () => {
  it("hashes the canonical JSON of every column and the position", () => {
    expect(chainContentJson(row)).toBe(canonicalJson({ ...row, createdAt: row.createdAt.toISOString() }));
    expect(chainContentJson(row)).toBe(
      '{"action":"decision.make","actorId":"agt_1","actorLabel":"say \\"hi\\"","actorType":"agent","createdAt":"2026-11-29T01:02:03.456Z","details":"{\\"a\\":1}","id":"evt_01","ip":null,"result":"allow","seq":7,"targetId":null,"targetType":null}',
    );
  });

  it.each(Object.keys(row) as (keyof ChainContent)[])("changes when %s changes", (key) => {
    const changed = { ...row, [key]: key === "createdAt" ? new Date(row.createdAt.getTime() + 1) : key === "seq" ? 8 : `${String(row[key])}x` };
    expect(eventHash("", changed)).not.toBe(eventHash("", row));
  });

  it("changes with the previous hash", () => {
    expect(eventHash("a", row)).not.toBe(eventHash("b", row));
  });

  it("links rows after the head, each to the one before", () => {
    const rows = [1, 2, 3].map((i) => toAuditRow({ actor: { type: "agent", id: "agt_1", label: "a" }, action: "decision.make", details: { i } }));
    const { linked, head } = linkRows({ seq: 41, hash: "h41" }, rows);
    expect(linked.map((r) => r.seq)).toEqual([42, 43, 44]);
    expect(linked.map((r) => r.prevHash)).toEqual(["h41", linked[0]!.hash, linked[1]!.hash]);
    expect(head).toEqual({ seq: 44, hash: linked[2]!.hash });
  });

  it("checkpoints when a batch passes a multiple of the interval", () => {
    expect(crossesCheckpoint(998, 999)).toBe(false);
    expect(crossesCheckpoint(999, 1000)).toBe(true);
    expect(crossesCheckpoint(999, 1500)).toBe(true);
    expect(crossesCheckpoint(1000, 1999)).toBe(false);
  });
});
