// Recurring grant windows: "Tuesdays 14:00-16:00 UTC" release windows.
//
// A window is a set of weekdays and one [start, end) range of wall-clock minutes in one IANA time zone. The wall
// clock is read with Intl in that zone, so daylight-saving shifts move the window with the local clock, as a person
// reading "14:00 New York" expects.
//
// Windows do not wrap midnight: start < end is enforced, and "22:00-02:00" must be written as two grants (22:00-24:00
// on the first day, 00:00-02:00 on the next). One rule, no ambiguity about which day a wrapped window belongs to.

import { z } from "zod";
import type { Schedule } from "./types";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const WEEKDAY_INDEX: Record<string, number> = Object.fromEntries(WEEKDAYS.map((d, i) => [d, i]));

// Building a DateTimeFormat costs tens of microseconds, reading one a few: keep one per zone. The key space is
// bounded by the zones Intl accepts (a few hundred), and only validated schedules reach here. A zone Intl refuses
// (a corrupt row: parseSchedule refuses them) is remembered as null and its window never matches: it fails closed
// for that one grant instead of throwing out of every decision of its principal.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
        // h23: midnight is 00, never 24 (hour12: false renders midnight as "24" in some engines)
        hourCycle: "h23",
      });
    } catch {
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** "HH:MM" to minutes since midnight. The input is already validated ("24:00" gives 1440). */
function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * The weekday (0 = Sunday) and minute of the day that the wall clock shows in `timeZone` at `nowMs`; day -1 when
 * the zone is unknown (no schedule contains day -1).
 */
export function wallClock(timeZone: string, nowMs: number): { day: number; minute: number } {
  let day = -1;
  let hour = 0;
  let minute = 0;
  const formatter = formatterFor(timeZone);
  if (formatter === null) return { day, minute };
  for (const part of formatter.formatToParts(nowMs)) {
    if (part.type === "weekday") day = WEEKDAY_INDEX[part.value] ?? -1;
    else if (part.type === "hour") hour = Number(part.value) % 24;
    else if (part.type === "minute") minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

/**
 * Whether `nowMs` falls inside the window: its weekday (in the schedule's zone) is one of `days`, and its wall-clock
 * minute is in [start, end). The resolution is the minute: with end "16:00", 15:59:59.999 is inside, 16:00:00 is not.
 */
export function inSchedule(schedule: Schedule, nowMs: number): boolean {
  const { day, minute } = wallClock(schedule.timeZone, nowMs);
  if (!schedule.days.includes(day)) return false;
  return minute >= minutesOf(schedule.start) && minute < minutesOf(schedule.end);
}

/** "Tue,Thu 14:00-16:00 UTC": how reasons name a window. */
export function describeSchedule(schedule: Schedule): string {
  const days = [...schedule.days].sort((a, b) => a - b).map((d) => WEEKDAYS[d] ?? String(d));
  return `${days.join(",")} ${schedule.start}-${schedule.end} ${schedule.timeZone}`;
}

// Loading a snapshot parses every scheduled grant's zone: 50,000 of them at the benchmark's size. Resolving is an
// Intl construction each; the answers for the few zones in use are kept.
const canonicalZones = new Map<string, string | null>();

/** The zone's canonical name as Intl resolves it ("utc" -> "UTC"), or null when Intl does not know the zone. */
function canonicalTimeZone(timeZone: string): string | null {
  let canonical = canonicalZones.get(timeZone);
  if (canonical === undefined) {
    try {
      canonical = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
    } catch {
      canonical = null;
    }
    if (canonicalZones.size < 1_000) canonicalZones.set(timeZone, canonical);
  }
  return canonical;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const scheduleSchema = z
  .object({
    days: z
      .array(z.number().int().min(0, "days are 0 (Sunday) to 6").max(6, "days are 0 (Sunday) to 6"))
      .min(1, "at least one day")
      .refine((days) => new Set(days).size === days.length, "days must not repeat"),
    start: z.string().regex(HHMM, "start must be HH:MM, 00:00 to 23:59"),
    end: z.string().refine((s) => s === "24:00" || HHMM.test(s), "end must be HH:MM, 00:01 to 24:00"),
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .transform((tz, ctx) => {
        const canonical = canonicalTimeZone(tz);
        if (canonical === null) {
          ctx.addIssue({ code: "custom", message: `unknown time zone ${JSON.stringify(tz)}` });
          return z.NEVER;
        }
        return canonical;
      }),
  })
  .strict()
  // "HH:MM" strings of equal width compare as their times do
  .refine((s) => s.start < s.end, {
    message: "start must be before end (windows do not wrap midnight: split them into two grants)",
    path: ["end"],
  })
  .transform((s): Schedule => ({ ...s, days: [...s.days].sort((a, b) => a - b) }));

/** Parses a schedule from JSON (a grant's stored window, or an API body). Throws a ZodError when invalid. */
export function parseSchedule(json: unknown): Schedule {
  return scheduleSchema.parse(json);
}
