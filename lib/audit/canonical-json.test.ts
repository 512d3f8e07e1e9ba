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
