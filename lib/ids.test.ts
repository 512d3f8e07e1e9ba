import { describe, expect, it } from "vitest";
import { hasPrefix, ID_PREFIXES, type IdKind, newId } from "./ids";

// 16 bytes (48-bit time + 80 random bits) in Crockford base32: 26 characters.
const BODY = /^[0-9abcdefghjkmnpqrstvwxyz]{26}$/;

describe("newId", () => {
  it.each(Object.entries(ID_PREFIXES) as [IdKind, string][])("%s ids start with %s_ and have a 26-character body", (kind, prefix) => {
    const id = newId(kind);
    expect(id.startsWith(`${prefix}_`)).toBe(true);
    expect(id).toHaveLength(prefix.length + 1 + 26);
    expect(id.slice(prefix.length + 1)).toMatch(BODY);
    expect(hasPrefix(id, kind)).toBe(true);
  });

  it("hasPrefix tells kinds apart", () => {
    expect(hasPrefix(newId("user"), "apiKey")).toBe(false);
    expect(hasPrefix("usr", "user")).toBe(false);
    expect(hasPrefix("usrx_abc", "user")).toBe(false);
  });

  it("sorts by time: ids made with increasing now sort in that order", () => {
    const start = Date.UTC(2026, 0, 1);
    // steps of 1 ms (the resolution), then steps that carry into higher base32 digits
    const times = [0, 1, 2, 31, 32, 33, 1023, 1024, 60_000, 86_400_000, 365 * 86_400_000].map((d) => start + d);
    const ids = times.map((t) => newId("auditEvent", t));
    expect([...ids].sort()).toEqual(ids);
    // and across many random ids: sorting by id is sorting by time
    const many = Array.from({ length: 500 }, (_, i) => ({ t: start + i * 7, id: newId("user", start + i * 7) }));
    const shuffled = [...many].sort(() => Math.random() - 0.5);
    expect(shuffled.map((x) => x.id).sort()).toEqual(many.map((x) => x.id));
  });

  it("the time is the prefix: ids of the same millisecond share their first 9 characters", () => {
    const t = Date.UTC(2026, 5, 15, 12, 0, 0, 123);
    const a = newId("user", t);
    const b = newId("user", t);
    expect(a.slice(0, 4 + 9)).toBe(b.slice(0, 4 + 9));
    expect(a).not.toBe(b);
  });

  it("is unique over 10,000 ids made in the same millisecond", () => {
    const t = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("apiKey", t)));
    expect(ids.size).toBe(10_000);
  });
});
