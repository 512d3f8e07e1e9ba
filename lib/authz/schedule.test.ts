import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { describeSchedule, inSchedule, parseSchedule, wallClock } from "./schedule";
import type { Schedule } from "./types";

const at = (iso: string) => Date.parse(iso);
const tue14to16utc: Schedule = { days: [2], start: "14:00", end: "16:00", timeZone: "UTC" };
const nyWorkday: Schedule = { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", timeZone: "America/New_York" };
const tokyoMorning: Schedule = { days: [3], start: "00:00", end: "02:00", timeZone: "Asia/Tokyo" };

describe("inSchedule", () => {
  // 2026-03-03 is a Tuesday; New York is on EST (UTC-5) until 8 March 2026, on EDT (UTC-4) from then to November.
  const cases: [name: string, schedule: Schedule, iso: string, inside: boolean][] = [
    ["well inside", tue14to16utc, "2026-03-03T15:00:00Z", true],
    ["start is inclusive", tue14to16utc, "2026-03-03T14:00:00.000Z", true],
    ["a millisecond before the start", tue14to16utc, "2026-03-03T13:59:59.999Z", false],
    ["a millisecond before the end", tue14to16utc, "2026-03-03T15:59:59.999Z", true],
    ["end is exclusive", tue14to16utc, "2026-03-03T16:00:00.000Z", false],
    ["same hours, next day", tue14to16utc, "2026-03-04T15:00:00Z", false],
    ["same hours, previous day", tue14to16utc, "2026-03-02T15:00:00Z", false],
    ["same hours a week later", tue14to16utc, "2026-03-10T15:00:00Z", true],
    ["New York 09:00 EST is 14:00 UTC", nyWorkday, "2026-03-03T14:00:00Z", true],
    ["New York 08:59 EST is outside", nyWorkday, "2026-03-03T13:59:00Z", false],
    ["New York 17:00 EST is outside", nyWorkday, "2026-03-03T22:00:00Z", false],
    ["New York 16:59 EST is inside", nyWorkday, "2026-03-03T21:59:59Z", true],
    ["New York in summer: 09:00 EDT is 13:00 UTC", nyWorkday, "2026-07-07T13:00:00Z", true],
    ["New York in summer: 08:59 EDT (12:59 UTC) is outside", nyWorkday, "2026-07-07T12:59:00Z", false],
    ["New York Saturday is outside the workday", nyWorkday, "2026-03-07T15:00:00Z", false],
    ["Friday 23:00 UTC is Friday 18:00 in New York (outside by the hour, not the day)", nyWorkday, "2026-03-06T23:00:00Z", false],
    ["Saturday 01:00 UTC is still Friday 20:00 in New York", { ...nyWorkday, end: "24:00" }, "2026-03-07T01:00:00Z", true],
    ["Tuesday 15:30 UTC is Wednesday 00:30 in Tokyo", tokyoMorning, "2026-03-03T15:30:00Z", true],
    ["Tuesday 14:59 UTC is still Tuesday 23:59 in Tokyo", tokyoMorning, "2026-03-03T14:59:00Z", false],
    ["midnight starts a 00:00 window", { days: [3], start: "00:00", end: "01:00", timeZone: "UTC" }, "2026-03-04T00:00:00Z", true],
    ["24:00 end includes the last minute", { days: [2], start: "23:00", end: "24:00", timeZone: "UTC" }, "2026-03-03T23:59:59.999Z", true],
    ["24:00 end stops at midnight (the next day is not in days)", { days: [2], start: "23:00", end: "24:00", timeZone: "UTC" }, "2026-03-04T00:00:00Z", false],
    ["a one-minute window", { days: [2], start: "12:34", end: "12:35", timeZone: "UTC" }, "2026-03-03T12:34:59Z", true],
    ["every day, all day", { days: [0, 1, 2, 3, 4, 5, 6], start: "00:00", end: "24:00", timeZone: "UTC" }, "2026-03-08T07:00:00Z", true],
    ["an unknown zone (a corrupt row) never matches", { ...tue14to16utc, timeZone: "Mars/Olympus" }, "2026-03-03T15:00:00Z", false],
  ];

  it.each(cases)("%s", (_, schedule, iso, inside) => {
    expect(inSchedule(schedule, at(iso))).toBe(inside);
  });

  it("reads the wall clock in the zone", () => {
    expect(wallClock("UTC", at("2026-03-01T00:00:00Z"))).toEqual({ day: 0, minute: 0 });
    expect(wallClock("America/New_York", at("2026-03-01T00:00:00Z"))).toEqual({ day: 6, minute: 19 * 60 });
    expect(wallClock("Asia/Kolkata", at("2026-03-01T00:00:00Z"))).toEqual({ day: 0, minute: 5 * 60 + 30 });
  });

  it("describes itself for reasons", () => {
    expect(describeSchedule({ days: [4, 2], start: "14:00", end: "16:00", timeZone: "UTC" })).toBe("Tue,Thu 14:00-16:00 UTC");
  });
});

describe("parseSchedule", () => {
  const valid: [name: string, input: unknown, output: Schedule][] = [
    ["a simple window", tue14to16utc, tue14to16utc],
    ["days are sorted", { ...tue14to16utc, days: [5, 1, 3] }, { ...tue14to16utc, days: [1, 3, 5] }],
    ["end may be 24:00", { ...tue14to16utc, end: "24:00" }, { ...tue14to16utc, end: "24:00" }],
    ["from 00:00", { ...tue14to16utc, start: "00:00" }, { ...tue14to16utc, start: "00:00" }],
    ["the zone is canonicalised", { ...tue14to16utc, timeZone: "utc" }, tue14to16utc],
    ["an IANA zone", nyWorkday, nyWorkday],
  ];
  it.each(valid)("accepts %s", (_, input, output) => {
    expect(parseSchedule(input)).toEqual(output);
  });

  const invalid: [name: string, input: unknown, message: string][] = [
    ["no days", { ...tue14to16utc, days: [] }, "at least one day"],
    ["a repeated day", { ...tue14to16utc, days: [2, 2] }, "days must not repeat"],
    ["day 7", { ...tue14to16utc, days: [7] }, "days are 0 (Sunday) to 6"],
    ["day -1", { ...tue14to16utc, days: [-1] }, "days are 0 (Sunday) to 6"],
    ["a fractional day", { ...tue14to16utc, days: [1.5] }, ""],
    ["start 24:00", { ...tue14to16utc, start: "24:00", end: "24:00" }, "start must be HH:MM"],
    ["start without a leading zero", { ...tue14to16utc, start: "9:00" }, "start must be HH:MM"],
    ["start 12:60", { ...tue14to16utc, start: "12:60" }, "start must be HH:MM"],
    ["end 24:01", { ...tue14to16utc, end: "24:01" }, "end must be HH:MM"],
    ["end 25:00", { ...tue14to16utc, end: "25:00" }, "end must be HH:MM"],
    ["start equal to end", { ...tue14to16utc, end: "14:00" }, "start must be before end"],
    ["a window wrapping midnight", { ...tue14to16utc, start: "22:00", end: "02:00" }, "windows do not wrap midnight"],
    ["an unknown zone", { ...tue14to16utc, timeZone: "Europe/Atlantis" }, 'unknown time zone "Europe/Atlantis"'],
    ["an empty zone", { ...tue14to16utc, timeZone: "" }, ""],
    ["an unknown key", { ...tue14to16utc, note: "x" }, ""],
    ["not an object", "Tue 14:00-16:00", ""],
  ];
  it.each(invalid)("refuses %s", (_, input, message) => {
    let error: unknown;
    try {
      parseSchedule(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZodError);
    if (message) expect((error as ZodError).issues.map((i) => i.message).join("; ")).toContain(message);
  });
});
