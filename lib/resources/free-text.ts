// Free text that ends up in the audit trail (names, descriptions, reasons, constraint values). The trail refuses
// anything shaped like one of our secrets, so such input is refused at the boundary with a 400, never a 500.
import { z } from "zod";
import { looksLikeSecret } from "@/lib/audit/record-event";

export const NOT_A_SECRET = "looks like a Deputy secret; never put a secret here";

export { looksLikeSecret };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Trimmed text of at most `max` characters: no control characters, no secrets. `min` 1 makes it required. */
export function freeText(max: number, min = 0) {
  let s = z.string().trim();
  if (min > 0) s = s.min(min, "is required");
  return s
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), "must not contain control characters")
    .refine((v) => !looksLikeSecret(v), NOT_A_SECRET);
}

/** Free text where line breaks are fine (descriptions, reasons). */
export function multilineText(max: number, min = 0) {
  let s = z.string().trim();
  if (min > 0) s = s.min(min, "is required");
  return s.max(max, `must be at most ${max} characters`).refine((v) => !looksLikeSecret(v), NOT_A_SECRET);
}
