import { describe, expect, it } from "vitest";
import { parseDayList, parseWorkingHours, workingMsBetween } from "../../src/lib/working-time.ts";

const H = 3_600_000;
const wh = parseWorkingHours("09:00-18:00", "1-5");
const at = (s: string) => new Date(s);
const hours = (a: string, b: string, tz = "Asia/Shanghai") => workingMsBetween(at(a), at(b), tz, wh) / H;

describe("working hours between two instants", () => {
  it("counts only the working day, in the hub's zone", () => {
    expect(hours("2026-11-20T10:00:00+08:00", "2026-11-20T12:30:00+08:00")).toBe(2.5); // Friday
    expect(hours("2026-11-20T07:00:00+08:00", "2026-11-20T20:00:00+08:00")).toBe(9);
  });

  it("skips the night and the weekend: Friday 17:00 to Monday 10:00 is two working hours", () => {
    expect(hours("2026-11-20T17:00:00+08:00", "2026-11-23T10:00:00+08:00")).toBe(2);
  });

  it("works in a zone with daylight saving", () => {
    // 2026-03-09 is a Monday after the US change; 09:00-18:00 New York is 13:00-22:00 UTC that day.
    expect(workingMsBetween(at("2026-03-09T12:00:00Z"), at("2026-03-09T15:00:00Z"), "America/New_York", wh) / H).toBe(2);
  });

  it("skips public holidays and counts make-up working weekends (调休)", () => {
    const holidays = { ...wh, holidays: parseDayList("2026-10-01..2026-10-07", "HUB_HOLIDAYS"), extraWorkdays: parseDayList("2026-10-10", "HUB_EXTRA_WORKDAYS") };
    // Wednesday 30 September 17:00 to Thursday 8 October 10:00: 1 hour before the holiday, 1 after it.
    expect(workingMsBetween(at("2026-09-30T17:00:00+08:00"), at("2026-10-08T10:00:00+08:00"), "Asia/Shanghai", holidays) / H).toBe(2);
    // Saturday 10 October is worked.
    expect(workingMsBetween(at("2026-10-10T09:00:00+08:00"), at("2026-10-10T12:00:00+08:00"), "Asia/Shanghai", holidays) / H).toBe(3);
    expect(() => parseDayList("2026-10-07..2026-10-01", "HUB_HOLIDAYS")).toThrow("ranges like 2026-10-01..2026-10-07");
    expect(() => parseDayList("2026-02-30", "HUB_HOLIDAYS")).toThrow();
  });

  it("refuses nonsense", () => {
    expect(() => parseWorkingHours("18:00-09:00", "1-5")).toThrow();
    expect(() => parseWorkingHours("09:00-18:00", "8")).toThrow();
  });
});
