import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { checkConstraints, compileGlob, globMatches, parseConstraints } from "./constraints";
import type { ParamConstraint } from "./types";

describe("checkConstraints", () => {
  const cases: [name: string, constraints: Record<string, ParamConstraint>, params: Record<string, unknown>, failure: string | null][] = [
    ["no constraints, no params", {}, {}, null],
    ["no constraints, any params", {}, { anything: [1, 2] }, null],
    ["unconstrained extra params are ignored", { env: { equals: "dev" } }, { env: "dev", other: 1 }, null],
    // equals: strict
    ["equals: same string", { env: { equals: "dev" } }, { env: "dev" }, null],
    ["equals: other string", { env: { equals: "dev" } }, { env: "prod" }, 'env "prod" is not "dev"'],
    ["equals: case matters", { env: { equals: "dev" } }, { env: "DEV" }, 'env "DEV" is not "dev"'],
    ["equals: same number", { n: { equals: 5 } }, { n: 5 }, null],
    ['equals: "5" is not 5', { n: { equals: 5 } }, { n: "5" }, 'n "5" is not 5'],
    ['equals: 5 is not "5"', { n: { equals: "5" } }, { n: 5 }, 'n 5 is not "5"'],
    ["equals: true", { dry: { equals: true } }, { dry: true }, null],
    ['equals: "true" is not true', { dry: { equals: true } }, { dry: "true" }, 'dry "true" is not true'],
    ["equals: 1 is not true", { dry: { equals: true } }, { dry: 1 }, "dry 1 is not true"],
    ["equals: an object is not a string", { env: { equals: "dev" } }, { env: { toString: "dev" } }, 'env (an object) is not "dev"'],
    ["equals: null is not a string", { env: { equals: "dev" } }, { env: null }, 'env null is not "dev"'],
    // oneOf
    ["oneOf: listed", { env: { oneOf: ["dev", "staging"] } }, { env: "staging" }, null],
    ["oneOf: not listed", { env: { oneOf: ["dev", "staging"] } }, { env: "prod" }, 'env "prod" is not one of "dev", "staging"'],
    ["oneOf: mixed types, strict", { n: { oneOf: [1, "2"] } }, { n: 2 }, 'n 2 is not one of 1, "2"'],
    ["oneOf: mixed types, match", { n: { oneOf: [1, "2"] } }, { n: "2" }, null],
    ["oneOf: an array value is not a member", { env: { oneOf: ["dev"] } }, { env: ["dev"] }, 'env (an array) is not one of "dev"'],
    // glob
    ["glob: prefix", { b: { glob: "feature-*" } }, { b: "feature-x" }, null],
    ["glob: * matches nothing too", { b: { glob: "feature-*" } }, { b: "feature-" }, null],
    ["glob: whole string, not a substring", { b: { glob: "feature-*" } }, { b: "my-feature-x" }, 'b "my-feature-x" does not match "feature-*"'],
    ["glob: no star is an exact match", { b: { glob: "main" } }, { b: "main2" }, 'b "main2" does not match "main"'],
    ["glob: ? is exactly one character", { b: { glob: "v?" } }, { b: "v10" }, 'b "v10" does not match "v?"'],
    ["glob: ? is one character", { b: { glob: "v?" } }, { b: "v1" }, null],
    ["glob: ? is one emoji (a code point)", { b: { glob: "a?b" } }, { b: "a😀b" }, null],
    ["glob: . is literal", { b: { glob: "feat.x" } }, { b: "featYx" }, 'b "featYx" does not match "feat.x"'],
    ["glob: ? matches a literal dot", { b: { glob: "feat?x" } }, { b: "feat.x" }, null],
    ["glob: + is literal", { b: { glob: "a+b" } }, { b: "aab" }, 'b "aab" does not match "a+b"'],
    ["glob: + matches itself", { b: { glob: "a+b" } }, { b: "a+b" }, null],
    ["glob: brackets are literal", { b: { glob: "[ab]" } }, { b: "a" }, 'b "a" does not match "[ab]"'],
    ["glob: regex syntax matches itself", { b: { glob: "^(x|y){2}$\\d/" } }, { b: "^(x|y){2}$\\d/" }, null],
    ["glob: star in the middle", { b: { glob: "release/*/hotfix" } }, { b: "release/2026.03/hotfix" }, null],
    ["glob: several stars", { b: { glob: "*a*b*" } }, { b: "xxbxxaxx" }, 'b "xxbxxaxx" does not match "*a*b*"'],
    ["glob: a newline is a character", { b: { glob: "a*b" } }, { b: "a\nb" }, null],
    ["glob: a number is not a string", { b: { glob: "*" } }, { b: 5 }, 'b 5 is not a string (it must match "*")'],
    // max
    ["max: below", { amount: { max: 100 } }, { amount: 99.5 }, null],
    ["max: equal", { amount: { max: 100 } }, { amount: 100 }, null],
    ["max: above", { amount: { max: 100 } }, { amount: 100.01 }, "amount 100.01 is more than 100"],
    ["max: negative maximum", { delta: { max: -1 } }, { delta: 0 }, "delta 0 is more than -1"],
    ['max: "50" is not a number', { amount: { max: 100 } }, { amount: "50" }, 'amount "50" is not a finite number (it must be at most 100)'],
    ["max: NaN is not finite", { amount: { max: 100 } }, { amount: Number.NaN }, "amount NaN is not a finite number (it must be at most 100)"],
    ["max: -Infinity is not finite", { amount: { max: 100 } }, { amount: -Infinity }, "amount -Infinity is not a finite number (it must be at most 100)"],
    ["max: a boolean is not a number", { amount: { max: 100 } }, { amount: true }, "amount true is not a finite number (it must be at most 100)"],
    // absence
    ["a constrained parameter that is absent fails", { env: { equals: "dev" } }, {}, "env is missing"],
    ["undefined counts as absent", { env: { oneOf: ["dev"] } }, { env: undefined }, "env is missing"],
    ["an inherited property is not a parameter", { toString: { glob: "*" } }, {}, "toString is missing"],
    // several
    ["all hold", { env: { equals: "dev" }, amount: { max: 10 } }, { env: "dev", amount: 3 }, null],
    ["the first failure is reported", { env: { equals: "dev" }, amount: { max: 10 } }, { env: "dev", amount: 30 }, "amount 30 is more than 10"],
  ];

  it.each(cases)("%s", (_, constraints, params, failure) => {
    const result = checkConstraints(constraints, params);
    if (failure === null) expect(result).toEqual({ ok: true });
    else expect(result).toEqual({ ok: false, param: expect.any(String), message: failure });
  });

  it("names the failing parameter", () => {
    expect(checkConstraints({ a: { max: 1 }, b: { max: 1 } }, { a: 0, b: 2 })).toMatchObject({ ok: false, param: "b" });
  });

  it("cuts long values short in messages", () => {
    const result = checkConstraints({ b: { equals: "x" } }, { b: "y".repeat(10_000) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(120);
  });
});

describe("globs", () => {
  /** the textbook recursive matcher: slow, obviously right */
  function reference(glob: string, value: string): boolean {
    const g = [...glob];
    const v = [...value];
    const memo = new Map<string, boolean>();
    const go = (i: number, j: number): boolean => {
      const key = `${i},${j}`;
      const known = memo.get(key);
      if (known !== undefined) return known;
      let result: boolean;
      if (i === g.length) result = j === v.length;
      else if (g[i] === "*") result = go(i + 1, j) || (j < v.length && go(i, j + 1));
      else result = j < v.length && (g[i] === "?" || g[i] === v[j]) && go(i + 1, j + 1);
      memo.set(key, result);
      return result;
    };
    return go(0, 0);
  }

  it("agrees with a reference matcher on random globs and values", () => {
    // a small alphabet with regex metacharacters, so that stars, question marks and escapes all collide often
    const char = fc.constantFrom("a", "b", ".", "+", "(", "\\", "$", "-");
    const glob = fc.array(fc.oneof(char, fc.constantFrom("*", "?")), { maxLength: 10 }).map((cs) => cs.join(""));
    const value = fc.array(char, { maxLength: 14 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(glob, value, (g, v) => {
        expect(globMatches(g, v)).toBe(reference(g, v));
      }),
      { numRuns: 2000 },
    );
  });

  it("matches values built from the glob", () => {
    // replace each * with a random run and each ? with one character: the result always matches
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constant("*"), fc.constant("?")), { maxLength: 8 }),
        fc.array(fc.string({ maxLength: 4 }), { minLength: 8, maxLength: 8 }),
        (parts, fills) => {
          const glob = parts.join("");
          let value = "";
          let k = 0;
          for (const ch of glob) value += ch === "*" ? fills[k++ % fills.length] : ch === "?" ? "x" : ch;
          expect(globMatches(glob, value)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stays linear on patterns that make naive regexes backtrack", () => {
    const glob = `${"*a".repeat(40)}*b`;
    const value = "a".repeat(20_000);
    const started = performance.now();
    expect(globMatches(glob, value)).toBe(false);
    // a naive ^.*a.*a...b$ would not finish in this lifetime; a generous bound keeps slow CI machines green
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("compiles each pattern once", () => {
    expect(compileGlob("cache-me-*")).toBe(compileGlob("cache-me-*"));
  });
});

describe("parseConstraints", () => {
  const valid: [name: string, input: unknown][] = [
    ["empty", {}],
    ["one of each", { env: { equals: "dev" }, region: { oneOf: ["eu", "us"] }, branch: { glob: "feature-*" }, amount: { max: 100 } }],
    ["equals a number", { n: { equals: 5 } }],
    ["equals a boolean", { dry: { equals: false } }],
    ["a negative max", { delta: { max: -5 } }],
    ["a glob of 200 characters", { b: { glob: "x".repeat(200) } }],
  ];
  it.each(valid)("accepts %s", (_, input) => {
    expect(parseConstraints(input)).toEqual(input);
  });

  const invalid: [name: string, input: unknown, message: string][] = [
    ["two operators on one parameter", { b: { equals: "x", glob: "x*" } }, "exactly one of equals, oneOf, glob, max per parameter (got equals, glob)"],
    ["no operator", { b: {} }, "exactly one of equals, oneOf, glob, max per parameter (got none)"],
    ["an unknown operator", { b: { regex: ".*" } }, ""],
    ["a glob over 200 characters", { b: { glob: "x".repeat(201) } }, "a glob is at most 200 characters"],
    ["an empty glob", { b: { glob: "" } }, ""],
    ["an empty oneOf", { b: { oneOf: [] } }, "oneOf needs at least one value"],
    ["oneOf with an object", { b: { oneOf: [{}] } }, ""],
    ["equals null", { b: { equals: null } }, ""],
    ["max as a string", { amount: { max: "100" } }, ""],
    ["max infinite", { amount: { max: Infinity } }, ""],
    ["max NaN", { amount: { max: Number.NaN } }, ""],
    ["an empty parameter name", { "": { equals: 1 } }, "Invalid key"],
    ["a __proto__ parameter (it would vanish)", JSON.parse('{"__proto__": {"equals": 1}}'), "__proto__ is not a parameter name"],
    ["an array", [{ equals: 1 }], ""],
    ["not an object", "branch=feature-*", ""],
  ];
  it.each(invalid)("refuses %s", (_, input, message) => {
    let error: unknown;
    try {
      parseConstraints(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZodError);
    if (message) expect((error as ZodError).issues.map((i) => i.message).join("; ")).toContain(message);
  });
});
