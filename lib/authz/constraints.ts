// Parameter constraints on a grant: per parameter one of equals, oneOf, glob, max.
//
// Invariants:
// - A grant's constraints all hold, or the grant does not apply: a constrained parameter that is absent fails.
// - Comparisons are strict: the string "5" is not the number 5, a glob never matches a non-string, `max` accepts
//   only finite numbers. An agent cannot slip past a constraint by changing a value's type.

import { z } from "zod";
import type { ParamConstraint } from "./types";

export type ConstraintResult = { ok: true } | { ok: false; param: string; message: string };

const OK: ConstraintResult = { ok: true };

/** Whether every constrained parameter of `params` satisfies its constraint; the first failure otherwise. */
export function checkConstraints(
  constraints: Readonly<Record<string, ParamConstraint>>,
  params: Readonly<Record<string, unknown>>,
): ConstraintResult {
  for (const param in constraints) {
    if (!Object.hasOwn(constraints, param)) continue;
    const c = constraints[param];
    const value = Object.hasOwn(params, param) ? params[param] : undefined;
    if (value === undefined) return { ok: false, param, message: `${param} is missing` };
    const failure = check(c, param, value);
    if (failure !== null) return { ok: false, param, message: failure };
  }
  return OK;
}

/** null when `value` satisfies `c`, else why not, as a phrase that starts with the parameter's name. */
function check(c: ParamConstraint, param: string, value: unknown): string | null {
  if ("equals" in c) {
    return value === c.equals ? null : `${param} ${show(value)} is not ${show(c.equals)}`;
  }
  if ("oneOf" in c) {
    return c.oneOf.includes(value as string | number | boolean)
      ? null
      : `${param} ${show(value)} is not one of ${c.oneOf.map(show).join(", ")}`;
  }
  if ("glob" in c) {
    if (typeof value !== "string") return `${param} ${show(value)} is not a string (it must match ${show(c.glob)})`;
    return globMatches(c.glob, value) ? null : `${param} ${show(value)} does not match ${show(c.glob)}`;
  }
  if ("max" in c) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return `${param} ${show(value)} is not a finite number (it must be at most ${c.max})`;
    }
    return value <= c.max ? null : `${param} ${show(value)} is more than ${c.max}`;
  }
  // A constraint this code does not know must not be read as "no constraint".
  return `${param} has an unknown constraint`;
}

const SHOW_MAX_CHARS = 80;

/** A value as a reason shows it: strings quoted (and cut short), numbers and booleans as written, others by kind. */
function show(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > SHOW_MAX_CHARS ? `${value.slice(0, SHOW_MAX_CHARS)}…` : value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "(an array)";
  return typeof value === "object" ? "(an object)" : `(a ${typeof value})`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Globs: `*` any run of characters (including none), `?` exactly one character (a Unicode code point), everything
// else literal; the whole value must match.
//
// The RegExp is built so that it cannot backtrack catastrophically on a long value: a naive `^a.*b.*c$` is
// polynomial in the number of stars, and the value comes from the agent. Each middle segment is matched leftmost
// inside a lookahead, `(?=([^]*?seg))\1`: a lookahead is atomic in JavaScript, so once a segment is placed the
// engine never comes back to try another place. Leftmost placement is always right for globs: placing a fixed-width
// segment earlier leaves a superset of the positions the rest of the pattern could use. Only the final segment,
// anchored at the end, can be tried at several places, so matching costs O(value length x pattern length).

const GLOB_CACHE_MAX = 10_000;
// Patterns come from grants, so the set is bounded by the grants that exist; the cap only guards memory if
// something feeds in patterns from elsewhere. Clearing all at once is crude but keeps the cache a plain Map.
const globCache = new Map<string, RegExp>();

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const escapeRegex = (s: string) => s.replace(REGEX_SYNTAX, "\\$&");
/** a glob segment (no `*`) as a regex source: `?` is one code point, everything else literal */
const segmentSource = (segment: string) => segment.split("?").map(escapeRegex).join(".");

export function compileGlob(glob: string): RegExp {
  let re = globCache.get(glob);
  if (re !== undefined) return re;
  const segments = glob.split("*");
  let source = `^${segmentSource(segments[0])}`;
  if (segments.length > 1) {
    let group = 0;
    for (let i = 1; i < segments.length - 1; i++) {
      if (segments[i] === "") continue; // "**" is "*"
      group++;
      source += `(?=([^]*?${segmentSource(segments[i])}))\\${group}`;
    }
    source += `[^]*${segmentSource(segments[segments.length - 1])}`;
  }
  source += "$";
  // s: `.` matches line terminators too (a value may contain "\n"); u: `.` is one code point, not half an emoji
  re = new RegExp(source, "su");
  if (globCache.size >= GLOB_CACHE_MAX) globCache.clear();
  globCache.set(glob, re);
  return re;
}

export function globMatches(glob: string, value: string): boolean {
  return compileGlob(glob).test(value);
}

// ---------------------------------------------------------------------------------------------------------------------
// Parsing constraints at the boundary (grant creation, API bodies, stored JSON).

export const GLOB_MAX_CHARS = 200;
const OPERATORS = ["equals", "oneOf", "glob", "max"] as const;

const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);

const constraintSchema = z
  .object({
    equals: scalar.optional(),
    oneOf: z.array(scalar).min(1, "oneOf needs at least one value").max(1000).optional(),
    glob: z.string().min(1).max(GLOB_MAX_CHARS, `a glob is at most ${GLOB_MAX_CHARS} characters`).optional(),
    // z.number() refuses NaN and the infinities, so a `max` is always a finite number
    max: z.number().optional(),
  })
  .strict()
  .transform((c, ctx): ParamConstraint => {
    const present = OPERATORS.filter((op) => c[op] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `exactly one of ${OPERATORS.join(", ")} per parameter (got ${present.length === 0 ? "none" : present.join(", ")})`,
      });
      return z.NEVER;
    }
    const op = present[0];
    if (op === "equals") return { equals: c.equals! };
    if (op === "oneOf") return { oneOf: c.oneOf! };
    if (op === "glob") return { glob: c.glob! };
    return { max: c.max! };
  });

export const constraintsSchema = z
  // A "__proto__" key (JSON.parse makes it an own property) cannot be an own key of a plain object, and zod's record
  // drops it silently: its constraint would vanish and the grant would be wider than written. Refuse it instead.
  .custom<unknown>(
    (v) => typeof v !== "object" || v === null || !Object.hasOwn(v, "__proto__"),
    "__proto__ is not a parameter name",
  )
  .pipe(z.record(z.string().min(1, "a parameter name is not empty").max(100), constraintSchema));

/** Parses a grant's constraints from JSON. Throws a ZodError when invalid. */
export function parseConstraints(json: unknown): Record<string, ParamConstraint> {
  return constraintsSchema.parse(json);
}
