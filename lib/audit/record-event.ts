// Records an audit event. Callers pass the transaction of the change the event describes, so the change and its
// record commit together or not at all. Audit is never best effort. The event joins the hash chain (chain.ts).
import type { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { Actor } from "./actor";
import { canonicalJson } from "./canonical-json";
import { auditSinkMaybeWanted, auditSinkWanted, invalidateAuditSink, queueAuditDeliveries } from "./audit-sink";
import { APPEND_TRANSACTION, appendToChain } from "./chain";

export type AuditAction = `${string}.${string}`;

export type AuditInput = {
  actor: Actor;
  action: AuditAction;
  target?: { type: string; id: string };
  /** success | failure for changes and sign-ins; a decision's outcome for decisions */
  result?: "success" | "failure" | "allow" | "deny" | "approval_required";
  details?: Record<string, unknown>;
  ip?: string | null;
};

// Invariant: no secret ever reaches the audit trail. Details are checked here, where every event passes.
// A field is refused when its name ends in a secret's name (password, newPassword, client_secret, password_hash,
// apiKey, accessToken, ...); names that merely mention one (secretId, tokenEpoch) pass. Values are refused when
// they contain one of our prefixed secrets anywhere.
const SECRET_KEYS = /(password|secret|token|hash|key)$/i;
const SECRET_VALUE = /(dpk|dps|dpr|dpi|whsec)_[A-Za-z0-9_-]{20,}/;

/** Whether a value would be refused here as a secret: inputs that end up in details are checked with this first. */
export function looksLikeSecret(value: string): boolean {
  return SECRET_VALUE.test(value);
}

function assertNoSecrets(value: unknown, path: string): void {
  if (typeof value === "string" && SECRET_VALUE.test(value)) throw new Error(`audit details carry a secret at ${path}`);
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.test(k)) throw new Error(`audit details carry a secret-named field ${path}.${k}`);
      assertNoSecrets(v, `${path}.${k}`);
    }
  }
}

const refuseSecretKey = (key: string) => {
  if (SECRET_KEYS.test(key)) throw new SecretInDetails();
};
class SecretInDetails extends Error {}

/**
 * Canonical JSON of the details, checked. One pass: keys are checked while they are sorted, and values by one scan of
 * the text (our secrets' characters are never escaped in JSON, so a secret in any string shows as is). Only a
 * refusal walks the value again, to name the field.
 */
function detailsJson(details: Record<string, unknown>): string {
  try {
    const text = canonicalJson(details, refuseSecretKey);
    if (!SECRET_VALUE.test(text)) return text;
  } catch (e) {
    if (!(e instanceof SecretInDetails)) throw e;
  }
  assertNoSecrets(details, "details");
  throw new Error("audit details carry a secret");
}

/** The row for an event, checked: noun.verb action, no secrets in the details. */
export function toAuditRow(input: AuditInput, now = new Date()) {
  if (!/^[a-z_]+\.[a-z_]+$/.test(input.action)) throw new Error(`audit action must be noun.verb: ${input.action}`);
  const details = detailsJson(input.details ?? {});
  return {
    id: newId("auditEvent", now.getTime()),
    createdAt: now,
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    result: input.result ?? "success",
    details,
    ip: input.ip ?? null,
  };
}

export async function recordAuditEvent(db: Db, input: AuditInput, now = new Date()): Promise<string> {
  const row = toAuditRow(input, now);
  if (row.action.startsWith("webhook.")) invalidateAuditSink(); // who takes the SIEM stream may have changed
  const append = async (tx: Prisma.TransactionClient) => {
    const linked = await appendToChain(tx, [row]);
    // the SIEM sink (audit-sink.ts): in this transaction, so a delivery exists if and only if the event does
    if (auditSinkMaybeWanted() && (await auditSinkWanted(tx))) await queueAuditDeliveries(tx, linked, now);
  };
  // A plain client gets a transaction of its own: the chain head's lock lives exactly as long as one. Told apart by
  // $disconnect, which transaction clients lack (they do have $transaction in Prisma 7: nested, savepoint-based).
  if ("$disconnect" in db) await db.$transaction(append, APPEND_TRANSACTION);
  else await append(db);
  return row.id;
}
