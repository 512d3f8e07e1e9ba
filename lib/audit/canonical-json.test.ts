import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";

describe("canonicalJson", () => {
  it("gives the same text whatever the key order", () => {
    expect(canonicalJson({ b: 1, a: 2, c: { z: 1, y: 2 } })).toBe(canonicalJson({ c: { y: 2, z: 1 }, a: 2, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2, c: { z: 1, y: 2 } })).toBe('{"a":2,"b":1,"c":{"y":2,"z":1}}');
  });

  it("keeps array order but sorts the objects inside arrays, at any depth", () => {
    const value = { list: [{ b: 1, a: [{ d: 1, c: 2 }, 3] }, [2, 1], "x"], empty: [] };
    expect(canonicalJson(value)).toBe('{"empty":[],"list":[{"a":[{"c":2,"d":1},3],"b":1},[2,1],"x"]}');
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
  });

  it("passes scalars, null and dates through as JSON.stringify would", () => {
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson("s")).toBe('"s"');
    expect(canonicalJson(42)).toBe("42");
    expect(canonicalJson({ at: new Date("2026-01-02T03:04:05.000Z"), n: null })).toBe('{"at":"2026-01-02T03:04:05.000Z","n":null}');
  });

  it("drops undefined members like JSON.stringify", () => {
    expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}');
  });
});

describe("canonicalJson on values already in order", () => {
  // the old definition: copy every object with its keys sorted, then stringify
  const reference = (value: unknown): string => {
    const sort = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sort)
        : v && typeof v === "object" && !(v instanceof Date)
          ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
          : v;
    return JSON.stringify(sort(value));
  };

  it("gives exactly the text of sorting everything, for any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => canonicalJson(v) === reference(v)), { numRuns: 2000 });
  });

  it("treats numeric keys, class instances and boxed values as sorting everything would", () => {
    class Point {
      constructor(public y: number, public x: number) {}
      toJSON() {
        return "ignored by the copy";
      }
    }
    for (const v of [{ 10: "a", 9: "b", b: 1, a: 2 }, { p: new Point(1, 2) }, { n: new Number(3) }, { m: new Map([["k", 1]]) }, [undefined, { b: undefined, a: 1 }]]) {
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it("visits every key at every depth", () => {
    const seen: string[] = [];
    canonicalJson({ a: { b: [{ c: 1 }] }, d: 2 }, (k) => seen.push(k));
    expect(seen.sort()).toEqual(["a", "b", "c", "d"]);
  });
});
