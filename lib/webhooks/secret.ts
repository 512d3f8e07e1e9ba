// The signing secret of a webhook. Unlike our other secrets it cannot be stored as a hash: every delivery is signed
// with it, so it is sealed (AES-256-GCM under the master key) with the webhook's id as associated data, and is
// unsealed only by the sender. It leaves the server once, in the response that creates or rotates it.
import { newSecret } from "@/lib/crypto/random";
import { seal, unseal } from "@/lib/crypto/seal";

export const WEBHOOK_SECRET_PREFIX = "whsec";
const SEAL_PURPOSE = "webhook-signing-secret";

/** A new signing secret, `whsec_` + 256 random bits (the prefix lets secret scanners find leaked ones). */
export function newWebhookSecret(): string {
  return newSecret(WEBHOOK_SECRET_PREFIX);
}

export function sealWebhookSecret(webhookId: string, secret: string): string {
  return seal(Buffer.from(secret, "utf8"), SEAL_PURPOSE, webhookId);
}

export function unsealWebhookSecret(webhookId: string, secretEnc: string): string {
  return unseal(secretEnc, SEAL_PURPOSE, webhookId).toString("utf8");
}
