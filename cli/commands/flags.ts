// Reading the CLI's flags and positionals, shared by the authorization commands.
import { UsageError } from "../output";

export type Flags = Record<string, string | boolean | undefined>;

export function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || !v) throw new UsageError(`--${name} is required`);
  return v;
}

export function optional(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
}

export function wholeNumber(flags: Flags, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number`);
  return Number(v);
}

/** A flag holding a JSON document, e.g. --constraints '{"branch":{"glob":"feature-*"}}'. */
export function jsonFlag(flags: Flags, name: string): unknown {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new UsageError(`--${name} needs a JSON value`);
  try {
    return JSON.parse(v);
  } catch {
    throw new UsageError(`--${name} is not valid JSON`);
  }
}

export function first(positionals: string[], usage: string): string {
  const v = positionals[0];
  if (!v) throw new UsageError(`usage: ${usage}`);
  return v;
}
