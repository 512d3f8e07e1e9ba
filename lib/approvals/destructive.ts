// Which parameter values look destructive, so the approver's screen can make them stand out: words that delete,
// overwrite or reach production, and amounts. A hint for a person's attention, never a security decision.
const WORDS = /(^|[^a-z])(delete|deletes|deleted|drop|destroy|truncate|wipe|purge|erase|remove|rm|rmdir|force|overwrite|reset|kill|terminate|revoke|shutdown|prod|production|master|root|sudo|all|\*|-rf|--force|--hard)([^a-z]|$)/i;
const AMOUNT_KEYS = /(amount|price|total|sum|cost|value|quantity|qty|count|limit|refund|payment|balance|fee)/i;

/** Whether a value (with the name of the parameter that holds it) deserves a second look. */
export function looksDestructive(key: string, value: unknown): boolean {
  if (typeof value === "boolean") return value && WORDS.test(key);
  if (typeof value === "number") return AMOUNT_KEYS.test(key) || WORDS.test(key);
  if (typeof value === "string") return WORDS.test(value) || (WORDS.test(key) && value.length > 0);
  return false;
}
