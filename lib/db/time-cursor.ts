// The keyset cursor of listings ordered newest first by (createdAt, id): audit events, approvals, alerts, webhook
// deliveries. Opaque to clients (base64url of "<ISO time>|<id>"); a cursor this code did not make is a 400, never an
// empty page or a 500.
import { AppError } from "@/lib/errors/app-error";
import { ID_PREFIXES, type IdKind } from "@/lib/ids";

export type TimeCursor = { createdAt: Date; id: string };

export function encodeTimeCursor(c: TimeCursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString("base64url");
}

/** The position a cursor names; `kind` is the id kind the listing returns, so another listing's cursor is refused. */
export function decodeTimeCursor(raw: string, kind: IdKind): TimeCursor {
  const [iso, id, extra] = Buffer.from(raw, "base64url").toString().split("|");
  const createdAt = new Date(iso ?? "");
  if (extra !== undefined || !id || !new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-z]+$`).test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError("validation_failed", "cursor: is not a cursor of this listing", [{ path: "cursor", message: "is not a cursor of this listing" }]);
  }
  return { createdAt, id };
}

/** The Prisma condition "strictly after the cursor" in (createdAt desc, id desc) order. */
export function afterTimeCursor(c: TimeCursor) {
  return { OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] };
}
