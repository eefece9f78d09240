import { describe, expect, it } from "vitest";
import {
  FESTIVALS, addDays, anniversaryYears, annualDateOccursOn, festivalByName, festivalDate, festivalsOn,
  formatLocalDay, instantAt, localDayOf, parseLocalDay, type FestivalCode, type LocalDay,
} from "../../src/outreach/calendar.ts";
import type { AnnualDate } from "../../src/partners/annual-date.ts";

const day = parseLocalDay;
const iso = (at: Date) => at.toISOString();
const on = (text: string) => festivalsOn(day(text));

/** Every day from `from` to `to`, inclusive. */
function* days(from: string, to: string): Generator<LocalDay> {
  for (let d = day(from); formatLocalDay(d) <= to; d = addDays(d, 1)) yield d;
}
const occurrences = (date: AnnualDate, from: string, to: string) =>
  [...days(from, to)].filter((d) => annualDateOccursOn(date, d)).map(formatLocalDay);

// The Chinese calendar for 2026-2030 (rules of GB/T 33661-2017). Written down once and checked by hand
// against lunar-javascript, against new moons and the solstice computed with astronomy-engine in Beijing
// time, and against ICU's Chinese calendar (Intl), which puts 2027's and 2030's 正月初一 a day off: those
// new moons fall at 23:56 and 00:08 Beijing time, inside ICU's error.
const PUBLISHED: Record<FestivalCode, string[]> = {
  NEW_YEAR: ["2026-01-01", "2027-01-01", "2028-01-01", "2029-01-01", "2030-01-01"],
  SPRING_EVE: ["2026-02-16", "2027-02-05", "2028-01-25", "2029-02-12", "2030-02-02"],
  SPRING: ["2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"],
  LANTERN: ["2026-03-03", "2027-02-20", "2028-02-09", "2029-02-27", "2030-02-17"],
  DRAGON_BOAT: ["2026-06-19", "2027-06-09", "2028-05-28", "2029-06-16", "2030-06-05"],
  QIXI: ["2026-08-19", "2027-08-08", "2028-08-26", "2029-08-16", "2030-08-05"],
  MID_AUTUMN: ["2026-09-25", "2027-09-15", "2028-10-03", "2029-09-22", "2030-09-12"],
  NATIONAL_DAY: ["2026-10-01", "2027-10-01", "2028-10-01", "2029-10-01", "2030-10-01"],
  DOUBLE_NINTH: ["2026-10-18", "2027-10-08", "2028-10-26", "2029-10-16", "2030-10-05"],
  WINTER_SOLSTICE: ["2026-12-22", "2027-12-22", "2028-12-21", "2029-12-21", "2030-12-22"],
};
const CODES = Object.keys(PUBLISHED) as FestivalCode[];

describe("local days", () => {
  it("parse and format YYYY-MM-DD, refusing days that do not exist", () => {
    expect(day("2026-11-22")).toEqual({ year: 2026, month: 11, day: 22 });
    expect(formatLocalDay({ year: 2026, month: 1, day: 5 })).toBe("2026-01-05");
    expect(day("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 });
    for (const bad of ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-2-3", "26-11-22", "", "明天"]) {
      expect(() => day(bad), bad).toThrow(/not a calendar day/);
    }
  });

  it("add days across months, leap days and years", () => {
    expect(formatLocalDay(addDays(day("2028-02-28"), 1))).toBe("2028-02-29");
    expect(formatLocalDay(addDays(day("2026-02-28"), 1))).toBe("2026-03-01");
    expect(formatLocalDay(addDays(day("2026-12-31"), 1))).toBe("2027-01-01");
    expect(formatLocalDay(addDays(day("2027-01-01"), -1))).toBe("2026-12-31");
    expect(formatLocalDay(addDays(day("2026-01-01"), 365))).toBe("2027-01-01");
  });

  it("reads the day in Shanghai: midnight there is 16:00 UTC the day before", () => {
    expect(localDayOf(new Date("2026-11-21T17:00:00Z"), "Asia/Shanghai")).toEqual(day("2026-11-22"));
    expect(localDayOf(new Date("2026-11-21T15:59:59Z"), "Asia/Shanghai")).toEqual(day("2026-11-21"));
    expect(localDayOf(new Date("2026-11-21T16:00:00Z"), "Asia/Shanghai")).toEqual(day("2026-11-22"));
    expect(iso(instantAt(day("2026-11-22"), "00:00", "Asia/Shanghai"))).toBe("2026-11-21T16:00:00.000Z");
    expect(iso(instantAt(day("2026-11-22"), "09:00", "Asia/Shanghai"))).toBe("2026-11-22T01:00:00.000Z");
    expect(iso(instantAt(day("2026-11-22"), "23:59", "Asia/Shanghai"))).toBe("2026-11-22T15:59:00.000Z");
  });

  it("follows Los Angeles across both DST changes of 2026 (8 March, 1 November)", () => {
    const la = "America/Los_Angeles";
    expect(iso(instantAt(day("2026-03-07"), "09:00", la))).toBe("2026-03-07T17:00:00.000Z"); // PST
    expect(iso(instantAt(day("2026-03-08"), "09:00", la))).toBe("2026-03-08T16:00:00.000Z"); // PDT
    expect(iso(instantAt(day("2026-11-01"), "09:00", la))).toBe("2026-11-01T17:00:00.000Z"); // PST again
    expect(iso(instantAt(day("2026-03-08"), "00:00", la))).toBe("2026-03-08T08:00:00.000Z");
    // 02:30 never shows on 8 March: it counts as 03:30 PDT. 01:30 shows twice on 1 November: the first.
    expect(iso(instantAt(day("2026-03-08"), "02:30", la))).toBe("2026-03-08T10:30:00.000Z");
    expect(iso(instantAt(day("2026-11-01"), "01:30", la))).toBe("2026-11-01T08:30:00.000Z");
    expect(localDayOf(new Date("2026-03-08T07:59:00Z"), la)).toEqual(day("2026-03-07"));
    expect(localDayOf(new Date("2026-03-08T08:00:00Z"), la)).toEqual(day("2026-03-08"));
    expect(localDayOf(new Date("2026-11-02T07:59:00Z"), la)).toEqual(day("2026-11-01"));
    expect(localDayOf(new Date("2026-11-02T08:00:00Z"), la)).toEqual(day("2026-11-02"));
  });

  it("round-trips every local midnight and morning of 2026 in several zones", () => {
    for (const zone of ["Asia/Shanghai", "America/Los_Angeles", "Europe/London", "Pacific/Auckland", "Asia/Kolkata"]) {
      for (const d of days("2026-01-01", "2026-12-31")) {
        for (const hhmm of ["00:00", "09:00"]) expect(localDayOf(instantAt(d, hhmm, zone), zone)).toEqual(d);
      }
    }
  });

  it("refuses a time of day that is not HH:MM", () => {
    for (const bad of ["9", "24:00", "09:60", "9am"]) expect(() => instantAt(day("2026-11-22"), bad, "Asia/Shanghai"), bad).toThrow();
  });
});

describe("festivals", () => {
  it("have Chinese names, all on by default but 七夕", () => {
    expect(Object.values(FESTIVALS).map((f) => f.name)).toEqual(["元旦", "除夕", "春节", "元宵", "端午", "七夕", "中秋", "国庆", "重阳", "冬至"]);
    expect(CODES.filter((c) => !FESTIVALS[c].defaultOn)).toEqual(["QIXI"]);
  });

  it("are found by Simplified or Traditional name, with or without 节, or by code", () => {
    const cases: Record<string, FestivalCode> = {
      春节: "SPRING", 春節: "SPRING", 除夕: "SPRING_EVE", 中秋: "MID_AUTUMN", 中秋节: "MID_AUTUMN", 中秋節: "MID_AUTUMN",
      端午: "DRAGON_BOAT", 端午節: "DRAGON_BOAT", 國慶節: "NATIONAL_DAY", 国庆: "NATIONAL_DAY", 重陽節: "DOUBLE_NINTH",
      元宵節: "LANTERN", 七夕: "QIXI", 冬至: "WINTER_SOLSTICE", 元旦: "NEW_YEAR", " 中秋 ": "MID_AUTUMN",
      MID_AUTUMN: "MID_AUTUMN", mid_autumn: "MID_AUTUMN",
    };
    for (const [name, code] of Object.entries(cases)) expect(festivalByName(name), name).toBe(code);
    for (const name of ["圣诞", "春", "节", "", "MIDAUTUMN"]) expect(festivalByName(name), name).toBeUndefined();
  });

  it.each(CODES)("%s falls on the published day in 2026-2030", (code) => {
    const got = [2026, 2027, 2028, 2029, 2030].map((y) => formatLocalDay(festivalDate(code, y)));
    expect(got).toEqual(PUBLISHED[code]);
    for (const d of PUBLISHED[code]) expect(on(d), d).toContain(code);
  });

  it("除夕 is the last day of 腊月, the 29th or the 30th, the day before 春节", () => {
    expect(on("2027-02-05")).toEqual(["SPRING_EVE"]); // 腊月廿九: that 腊月 has 29 days
    expect(on("2030-02-02")).toEqual(["SPRING_EVE"]); // 腊月三十
    expect(on("2030-02-01")).toEqual([]); // 腊月廿九, not the last day this time
    expect(on("2026-02-17")).toEqual(["SPRING"]);
  });

  it("are absent on ordinary days, and two can share a day", () => {
    for (const d of ["2026-11-22", "2026-05-01", "2026-02-14", "2026-12-25", "2027-02-07", "2028-12-22"]) expect(on(d), d).toEqual([]);
    expect(on("2020-10-01")).toEqual(["MID_AUTUMN", "NATIONAL_DAY"]); // 2020: 中秋 on 国庆
  });

  it("a leap month holds no festival: 2028 闰五月初五 is not 端午", () => {
    expect(on("2028-05-28")).toEqual(["DRAGON_BOAT"]); // 五月初五
    expect(on("2028-06-27")).toEqual([]); // 闰五月初五
  });

  it("festivalsOn and festivalDate agree on every day of 2026-2030", () => {
    for (const d of days("2026-01-01", "2030-12-31")) {
      const expected = CODES.filter((c) => formatLocalDay(festivalDate(c, d.year)) === formatLocalDay(d));
      expect(festivalsOn(d), formatLocalDay(d)).toEqual(expected);
    }
  });
});

describe("birthdays and anniversaries", () => {
  const solar = (month: number, d: number, year?: number): AnnualDate => ({ calendar: "solar", year, month, day: d });
  const lunar = (month: number, d: number, extra: Partial<AnnualDate> = {}): AnnualDate => ({ calendar: "lunar", month, day: d, ...extra });

  it("a solar date comes round on its month and day, from the first anniversary on", () => {
    expect(annualDateOccursOn(solar(5, 12), day("2026-05-12"))).toBe(true);
    expect(annualDateOccursOn(solar(5, 12), day("2026-05-13"))).toBe(false);
    expect(annualDateOccursOn(solar(5, 12, 1978), day("2026-05-12"))).toBe(true);
    expect(annualDateOccursOn(solar(5, 12, 2026), day("2026-05-12"))).toBe(false); // the day itself
  });

  it("a solar Feb 29 is kept on Feb 28 in common years", () => {
    expect(occurrences(solar(2, 29, 1980), "2026-01-01", "2029-12-31")).toEqual(["2026-02-28", "2027-02-28", "2028-02-29", "2029-02-28"]);
  });

  it("a lunar date in a regular month is kept only in the regular month, never in a leap month of that number", () => {
    // 2028 has 闰五月 (五月初五 2028-05-28, 闰五月初五 2028-06-27).
    expect(occurrences(lunar(5, 5), "2028-01-01", "2028-12-31")).toEqual(["2028-05-28"]);
    // Born 四月初一 2020 (2020-04-23), the month before 2020's 闰四月; next 闰四月 is 2058.
    const born = lunar(4, 1, { year: 2020 });
    expect(annualDateOccursOn(born, day("2058-04-23"))).toBe(true); // 四月初一
    expect(annualDateOccursOn(born, day("2058-05-22"))).toBe(false); // 闰四月初一
  });

  it("a lunar date in a leap month is kept in that leap month when the year has one, else in the regular month", () => {
    // Born 闰四月初一 2020 (2020-05-23). 2021 has no leap month; 2023's is 闰二月; 2058 has 闰四月.
    const born = lunar(4, 1, { year: 2020, leap: true });
    expect(occurrences(born, "2020-01-01", "2023-12-31")).toEqual(["2021-05-12", "2022-05-01", "2023-05-19"]);
    expect(annualDateOccursOn(born, day("2023-03-22"))).toBe(false); // 闰二月初一
    expect(annualDateOccursOn(born, day("2058-05-22"))).toBe(true); // 闰四月初一
    expect(annualDateOccursOn(born, day("2058-04-23"))).toBe(false); // 四月初一
    expect(occurrences(lunar(5, 5, { leap: true }), "2028-01-01", "2029-12-31")).toEqual(["2028-06-27", "2029-06-16"]);
  });

  it("a lunar 30th is kept on the 29th when the month is short that year", () => {
    // Born 四月三十 2020 (2020-05-22): 四月 has 29 days in 2021, 30 in 2023.
    const born = lunar(4, 30, { year: 2020 });
    expect(occurrences(born, "2021-01-01", "2021-12-31")).toEqual(["2021-06-09"]);
    expect(occurrences(born, "2023-01-01", "2023-12-31")).toEqual(["2023-06-17"]);
    // 腊月三十: 腊月 of 2025 has 29 days (ends 2026-02-16); of 2029, 30 (ends 2030-02-02).
    expect(annualDateOccursOn(lunar(12, 30), day("2026-02-16"))).toBe(true);
    expect(annualDateOccursOn(lunar(12, 30), day("2030-02-01"))).toBe(false);
    expect(annualDateOccursOn(lunar(12, 30), day("2030-02-02"))).toBe(true);
  });

  it("a 腊月 date lands in January or February, in the lunar year of the day itself", () => {
    // 腊月初八 (腊八) of lunar 2025 .. 2029.
    expect(occurrences(lunar(12, 8), "2026-01-01", "2030-12-31")).toEqual(["2026-01-26", "2027-01-15", "2028-01-04", "2029-01-22", "2030-01-11"]);
    // Born 腊月初八 of lunar 2025, which is 2026-01-26: the first birthday is 2027-01-15, not the day itself.
    expect(occurrences(lunar(12, 8, { year: 2025 }), "2026-01-01", "2027-12-31")).toEqual(["2027-01-15"]);
  });

  it("every lunar date comes round exactly once a lunar year", () => {
    for (const date of [lunar(1, 1), lunar(6, 30), lunar(6, 15, { leap: true }), lunar(11, 29), lunar(12, 30)]) {
      expect(occurrences(date, "2026-02-17", "2031-01-22"), JSON.stringify(date)).toHaveLength(5); // lunar 2026..2030
    }
  });

  it("counts whole years on the anniversary only", () => {
    expect(anniversaryYears(day("2023-11-22"), day("2026-11-22"))).toBe(3);
    expect(anniversaryYears(day("2023-11-22"), day("2026-11-21"))).toBeNull();
    expect(anniversaryYears(day("2023-11-22"), day("2023-11-22"))).toBeNull();
    expect(anniversaryYears(day("2023-11-22"), day("2022-11-22"))).toBeNull();
    expect(anniversaryYears(day("2024-02-29"), day("2025-02-28"))).toBe(1);
    expect(anniversaryYears(day("2024-02-29"), day("2025-03-01"))).toBeNull();
    expect(anniversaryYears(day("2024-02-29"), day("2028-02-28"))).toBeNull();
    expect(anniversaryYears(day("2024-02-29"), day("2028-02-29"))).toBe(4);
  });
});
