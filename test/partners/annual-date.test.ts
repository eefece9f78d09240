import { describe, expect, it } from "vitest";
import { decodeAnnualDate, encodeAnnualDate, formatAnnualDate, parseAnnualDate } from "../../src/partners/annual-date.ts";

describe("birthdays and anniversaries as people write them", () => {
  it.each([
    ["1978-05-12", { calendar: "solar", year: 1978, month: 5, day: 12 }],
    ["1978/5/12", { calendar: "solar", year: 1978, month: 5, day: 12 }],
    ["1978年5月12日", { calendar: "solar", year: 1978, month: 5, day: 12 }],
    ["5月12日", { calendar: "solar", month: 5, day: 12 }],
    ["2月29日", { calendar: "solar", month: 2, day: 29 }],
    ["农历三月初八", { calendar: "lunar", month: 3, day: 8 }],
    ["農曆三月初八", { calendar: "lunar", month: 3, day: 8 }],
    ["阴历腊月廿三", { calendar: "lunar", month: 12, day: 23 }],
    ["农历正月十五", { calendar: "lunar", month: 1, day: 15 }],
    ["农历冬月三十", { calendar: "lunar", month: 11, day: 30 }],
    ["农历闰四月初一", { calendar: "lunar", month: 4, day: 1, leap: true }],
    ["农历1978年八月二十", { calendar: "lunar", year: 1978, month: 8, day: 20 }],
    ["农历3月8日", { calendar: "lunar", month: 3, day: 8 }],
  ])("%s", (text, expected) => {
    expect(parseAnnualDate(text)).toEqual(expected);
  });

  it.each(["1978-02-30", "2023-02-29", "13月1日", "农历三月三十一", "农历十三月初一", "下周三", "abc"])("rejects %s", (text) => {
    expect(parseAnnualDate(text)).toBeUndefined();
  });

  it("writes back what it reads, through storage and display", () => {
    for (const text of ["1978-05-12", "5月12日", "农历三月初八", "农历闰四月初一", "农历1978年八月二十", "农历腊月廿三"]) {
      const d = parseAnnualDate(text)!;
      const stored = encodeAnnualDate(d);
      expect(decodeAnnualDate(stored)).toEqual(d);
      expect(formatAnnualDate(decodeAnnualDate(stored))).toBe(text);
    }
  });
});

describe("lunar dates with a year are checked against the calendar", () => {
  it("accepts a leap month that year had, and refuses one it did not", () => {
    expect(parseAnnualDate("农历2023年闰二月初一")).toEqual({ calendar: "lunar", year: 2023, month: 2, day: 1, leap: true });
    expect(parseAnnualDate("农历1987年闰二月初一")).toBeUndefined(); // 1987's leap month was the sixth
    expect(parseAnnualDate("农历1987年闰六月初一")).toMatchObject({ leap: true, month: 6 });
  });

  it("refuses the 30th of a 29-day lunar month in a given year", () => {
    expect(parseAnnualDate("农历2026年二月三十")).toBeUndefined(); // 2026: the second month has 29 days
    expect(parseAnnualDate("农历2026年正月三十")).toMatchObject({ year: 2026, month: 1, day: 30 });
    expect(parseAnnualDate("农历三十")).toBeUndefined();
    expect(parseAnnualDate("农历正月三十")).toMatchObject({ month: 1, day: 30 }); // no year: kept, resolved each year
  });
});
