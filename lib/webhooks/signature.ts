// How a receiver knows a webhook came from this Deputy and was not replayed later.
//
//   Deputy-Webhook-Id:        the event's id (whd_...), the same on every retry: dedupe on it
//   Deputy-Webhook-Timestamp: unix seconds when this attempt was sent
//   Deputy-Webhook-Signature: v1=<hex HMAC-SHA-256 of "<timestamp>.<body>">
//
// The HMAC key is the whole signing secret as UTF-8, prefix included (`whsec_...`); the body is the raw request
// body, byte for byte, before any JSON parsing. Receivers check the signature in constant time and refuse
// timestamps further than a tolerance (5 minutes) from their clock, which bounds replays. During a rotation the
// header may carry several space-separated `v1=` values; any one matching is enough.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_VERSION = "v1";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const WEBHOOK_HEADERS = {
  id: "deputy-webhook-id",
  timestamp: "deputy-webhook-timestamp",
  signature: "deputy-webhook-signature",
} as const;

/** The v1 signature of a body sent at `timestampSeconds`: hex HMAC-SHA-256 of "<timestamp>.<body>". */
export function signWebhookPayload(secret: string, timestampSeconds: number, body: string | Buffer): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.`).update(body).digest("hex");
}

/** The three headers of one attempt. */
export function webhookHeaders(secret: string, deliveryId: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    "content-type": "application/json",
    "user-agent": "Deputy-Webhooks/1",
    "Deputy-Webhook-Id": deliveryId,
    "Deputy-Webhook-Timestamp": String(timestamp),
    "Deputy-Webhook-Signature": `${SIGNATURE_VERSION}=${signWebhookPayload(secret, timestamp, body)}`,
  };
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers: whether `body` (the raw request body) was signed with `secret` at a timestamp within
 * `toleranceSeconds` of `now`. Takes a fetch `Headers` or Node's `req.headers`. Never throws on bad input.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: HeaderSource,
  body: string | Buffer,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  now: Date = new Date(),
): boolean {
  const timestampText = header(headers, WEBHOOK_HEADERS.timestamp);
  const signatures = header(headers, WEBHOOK_HEADERS.signature);
  if (!timestampText || !signatures || !/^\d{1,12}$/.test(timestampText)) return false;
  const timestamp = Number(timestampText);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookPayload(secret, timestamp, body), "hex");
  let ok = false;
  for (const part of signatures.split(" ")) {
    const [version, hex] = part.split("=", 2);
    if (version !== SIGNATURE_VERSION || !hex || !/^[0-9a-f]{64}$/i.test(hex)) continue;
    // constant time; checks every candidate so the time does not say which one matched
    if (timingSafeEqual(Buffer.from(hex, "hex"), expected)) ok = true;
  }
  return ok;
}
