// The client's address for throttling and audit. Next's server sets X-Forwarded-For to the socket address only
// when the request has none, so a value from a client is not to be believed: with DEPUTY_TRUST_PROXY (a reverse
// proxy that overwrites the header) the first entry is the client; otherwise we take the last entry, which is the
// socket address whenever the client sent no header of its own. Account throttling never depends on this.
import { env } from "@/lib/env";
import type { HeaderGetter } from "./plain";

export function clientAddress(headers: HeaderGetter): string | null {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const raw = (env().DEPUTY_TRUST_PROXY ? entries[0] : entries.at(-1)) ?? headers.get("x-real-ip");
  if (!raw) return null;
  return raw.replace(/^::ffff:/, "").slice(0, 64);
}
