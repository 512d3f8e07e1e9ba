// JSON with object keys sorted at every depth: the same value always gives the same text (and, later, the same hash).
//
// Hot path (every audit event, every parameter digest): a value whose keys are already in order, as our own code
// builds them, is stringified as it is; only objects that need it are copied with their keys sorted. The text is
// the same either way.
export function canonicalJson(value: unknown, onKey?: (key: string) => void): string {
  return JSON.stringify(sortKeys(value, onKey));
}

function sortKeys(value: unknown, onKey: ((key: string) => void) | undefined): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const sorted = sortKeys(v, onKey);
      if (sorted !== v) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  if (!value || typeof value !== "object" || value instanceof Date) return value;
  const keys = Object.keys(value);
  const proto = Object.getPrototypeOf(value);
  // anything but a plain object (a class instance, a boxed value, a Map) becomes a plain object of its own keys
  let changed = proto !== Object.prototype && proto !== null;
  const children = keys.map((k, i) => {
    onKey?.(k);
    if (i > 0 && keys[i - 1]! > k) changed = true;
    const v = (value as Record<string, unknown>)[k];
    const sorted = sortKeys(v, onKey);
    if (sorted !== v) changed = true;
    return sorted;
  });
  if (!changed) return value;
  // sorted as Array.prototype.sort sorts strings (UTF-16 code units), pairs kept together: n log n on any input
  const entries = keys.map((k, i) => [k, children[i]] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
