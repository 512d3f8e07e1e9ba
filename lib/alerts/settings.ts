// The settable part of the anomaly rules: the denial burst threshold (N denials in M minutes per agent). Stored as
// one Setting row (JSON text); absent means the defaults.
import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { type Db, inTransaction } from "@/lib/db/client";
import { alertAnalyzer } from "./observe-decision";

export const DENIAL_BURST_KEY = "alerts.denialBurst";
export const DEFAULT_DENIAL_BURST = { count: 10, minutes: 5 } as const;

export const denialBurstSchema = z.strictObject({
  /** this many denials for one agent ... */
  count: z.number().int().min(2).max(100_000),
  /** ... within this many minutes raise one alert */
  minutes: z.number().int().min(1).max(24 * 60),
});
export const alertSettingsInput = z.strictObject({ denialBurst: denialBurstSchema });
export type AlertSettings = z.output<typeof alertSettingsInput>;

/** The stored threshold, or the defaults when unset or unreadable (a bad row must not stop the rules). */
export async function getAlertSettings(db: Db): Promise<AlertSettings> {
  const row = await db.setting.findUnique({ where: { key: DENIAL_BURST_KEY } });
  let parsed: unknown = null;
  try {
    parsed = row ? JSON.parse(row.value) : null;
  } catch {
    parsed = null;
  }
  const burst = denialBurstSchema.safeParse(parsed);
  return { denialBurst: burst.success ? burst.data : { ...DEFAULT_DENIAL_BURST } };
}

export async function updateAlertSettings(db: Db, input: z.input<typeof alertSettingsInput>, actor: Actor): Promise<AlertSettings> {
  const { denialBurst } = alertSettingsInput.parse(input);
  const saved = await inTransaction(db, async (tx) => {
    const before = await getAlertSettings(tx);
    const value = canonicalJson(denialBurst);
    await tx.setting.upsert({ where: { key: DENIAL_BURST_KEY }, create: { key: DENIAL_BURST_KEY, value }, update: { value } });
    await recordAuditEvent(tx, {
      actor,
      action: "setting.update",
      target: { type: "setting", id: DENIAL_BURST_KEY },
      details: { before: before.denialBurst, after: denialBurst },
    });
    return { denialBurst };
  });
  alertAnalyzer().forgetSettings(); // this instance applies it at once; others within their settings TTL (5 s)
  return saved;
}
