// The calendar behind scheduled greetings: which festival falls on a day, whether a partner's birthday
// or wedding anniversary (solar or lunar, see ../partners/annual-date.ts) comes round on it, and
// which day and instant "09:00 on that day" means in a given time zone.
// Lunar dates come from lunar-javascript, which reckons them in Beijing time as the published
// Chinese calendar does (GB/T 33661-2017), so a lunar day is tied to its solar day, not to a zone.
import LunarCalendar from "lunar-javascript";
import type { AnnualDate } from "../partners/annual-date.ts";
import { matchKey } from "../text/normalize.ts";

const { Lunar, Solar, LunarMonth, LunarYear } = LunarCalendar;

/** A calendar day as people in a time zone see it. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");
const toUtcMs = (d: LocalDay) => Date.UTC(d.year, d.month - 1, d.day);
const fromUtcMs = (ms: number): LocalDay => {
  const t = new Date(ms);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};
const sameDay = (a: LocalDay, b: LocalDay) => a.year === b.year && a.month === b.month && a.day === b.day;
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function parseLocalDay(text: string): LocalDay {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const d = m && { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!d || !sameDay(fromUtcMs(toUtcMs(d)), d)) throw new Error(`not a calendar day (YYYY-MM-DD): ${text}`);
  return d;
}

export function formatLocalDay(d: LocalDay): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

export function addDays(d: LocalDay, n: number): LocalDay {
  return fromUtcMs(toUtcMs(d) + n * DAY_MS);
}

/** The zone's wall clock at that instant, read as if it were UTC (same approach as lib/working-time.ts). */
const formats = new Map<string, Intl.DateTimeFormat>(); // building one is slow; a zone's never changes

function wallClockMs(at: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
}

const offsetMs = (at: number, timeZone: string) => wallClockMs(at, timeZone) - Math.floor(at / 1000) * 1000;

export function localDayOf(at: Date, timeZone: string): LocalDay {
  return fromUtcMs(Math.floor(wallClockMs(at.getTime(), timeZone) / DAY_MS) * DAY_MS);
}

/**
 * The instant the zone's clocks show `hhmm` on that day. Across a DST change it does what Temporal's
 * "compatible" does: a time the clocks skip counts as that long after the jump (02:30 -> 03:30), a
 * time they show twice is the first one.
 */
export function instantAt(d: LocalDay, hhmm: string, timeZone: string): Date {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`time of day must look like 09:00, got ${hhmm}`);
  const wall = toUtcMs(d) + (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  // The offsets in force a day either side bracket any change on this day (zones run UTC-12 to UTC+14).
  const before = wall - offsetMs(wall - DAY_MS, timeZone);
  const after = wall - offsetMs(wall + DAY_MS, timeZone);
  const exact = [before, after].filter((t) => wallClockMs(t, timeZone) === wall);
  return new Date(exact.length ? Math.min(...exact) : before);
}

export type FestivalCode =
  | "NEW_YEAR" | "SPRING_EVE" | "SPRING" | "LANTERN" | "DRAGON_BOAT"
  | "QIXI" | "MID_AUTUMN" | "NATIONAL_DAY" | "DOUBLE_NINTH" | "WINTER_SOLSTICE";

/** Chinese name and whether it is on unless configured otherwise (七夕 is off by default). */
export const FESTIVALS: Record<FestivalCode, { name: string; defaultOn: boolean }> = {
  NEW_YEAR: { name: "元旦", defaultOn: true },
  SPRING_EVE: { name: "除夕", defaultOn: true },
  SPRING: { name: "春节", defaultOn: true },
  LANTERN: { name: "元宵", defaultOn: true },
  DRAGON_BOAT: { name: "端午", defaultOn: true },
  // A lovers' day: wishing a business partner well on it reads oddly, so only when asked for.
  QIXI: { name: "七夕", defaultOn: false },
  MID_AUTUMN: { name: "中秋", defaultOn: true },
  NATIONAL_DAY: { name: "国庆", defaultOn: true },
  DOUBLE_NINTH: { name: "重阳", defaultOn: true },
  WINTER_SOLSTICE: { name: "冬至", defaultOn: true },
};

const SOLAR_FESTIVALS: Partial<Record<FestivalCode, [month: number, day: number]>> = { NEW_YEAR: [1, 1], NATIONAL_DAY: [10, 1] };
/** Always in the regular month: a leap month never holds a festival. */
const LUNAR_FESTIVALS: Partial<Record<FestivalCode, [month: number, day: number]>> = {
  SPRING: [1, 1], LANTERN: [1, 15], DRAGON_BOAT: [5, 5], QIXI: [7, 7], MID_AUTUMN: [8, 15], DOUBLE_NINTH: [9, 9],
};
const CODES = Object.keys(FESTIVALS) as FestivalCode[];

/** 春節, 中秋节, 端午 and MID_AUTUMN all name a festival; Traditional and full-width input is folded first. */
export function festivalByName(name: string): FestivalCode | undefined {
  const key = matchKey(name);
  return CODES.find((c) => c.toLowerCase() === key || [FESTIVALS[c].name, `${FESTIVALS[c].name}节`].includes(key));
}

/** lunar-javascript's day object has more than our typings declare; this is the one extra call used. */
interface LunarWithJieQi {
  getJieQi(): string;
}

/** A day's lunar date; lunar-javascript gives a leap month as a negative month number. */
function lunarOf(d: LocalDay) {
  const lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar();
  return {
    year: lunar.getYear(),
    month: Math.abs(lunar.getMonth()),
    leap: lunar.getMonth() < 0,
    day: lunar.getDay(),
    jieQi: (lunar as unknown as LunarWithJieQi).getJieQi(),
  };
}

export function festivalsOn(d: LocalDay): FestivalCode[] {
  const lunar = lunarOf(d);
  const tomorrow = lunarOf(addDays(d, 1));
  return CODES.filter((code) => {
    if (code === "SPRING_EVE") return !tomorrow.leap && tomorrow.month === 1 && tomorrow.day === 1;
    if (code === "WINTER_SOLSTICE") return lunar.jieQi === "冬至";
    const solar = SOLAR_FESTIVALS[code];
    if (solar) return d.month === solar[0] && d.day === solar[1];
    const [month, day] = LUNAR_FESTIVALS[code]!;
    return !lunar.leap && lunar.month === month && lunar.day === day;
  });
}

const solarDayOf = (lunar: { getSolar(): { getYear(): number; getMonth(): number; getDay(): number } }): LocalDay => {
  const s = lunar.getSolar();
  return { year: s.getYear(), month: s.getMonth(), day: s.getDay() };
};

/**
 * The solar day of that festival in Gregorian year `year`. Every lunar festival of lunar year N falls in
 * Gregorian year N (正月初一 is between Jan 21 and Feb 20), and so does its 除夕, the day before.
 */
export function festivalDate(code: FestivalCode, year: number): LocalDay {
  const solar = SOLAR_FESTIVALS[code];
  if (solar) return { year, month: solar[0], day: solar[1] };
  if (code === "SPRING_EVE") return addDays(festivalDate("SPRING", year), -1);
  if (code === "WINTER_SOLSTICE") {
    // 冬至 is December 20-23 in every year lunar-javascript covers.
    for (let day = 20; day <= 23; day++) if (lunarOf({ year, month: 12, day }).jieQi === "冬至") return { year, month: 12, day };
    throw new Error(`no winter solstice found in December ${year}`);
  }
  const [month, day] = LUNAR_FESTIVALS[code]!;
  return solarDayOf(Lunar.fromYmd(year, month, day));
}

/**
 * Whether a birthday / wedding anniversary stored as AnnualDate is celebrated on this day.
 * With a year, only from the first anniversary on. Solar Feb 29 is kept on Feb 28 in common years.
 * Lunar: a date in a leap month is kept in that leap month in years that have it, otherwise in the
 * regular month; a date in a regular month only ever in the regular month. A 30th is kept on the 29th
 * when the month is short that year. The lunar year is the day's own (腊月 falls in January/February).
 */
export function annualDateOccursOn(date: AnnualDate, d: LocalDay): boolean {
  if (date.calendar === "solar") {
    if (date.year !== undefined && d.year <= date.year) return false;
    if (d.month === date.month && d.day === date.day) return true;
    return date.month === 2 && date.day === 29 && d.month === 2 && d.day === 28 && !isLeapYear(d.year);
  }
  const lunar = lunarOf(d);
  if (lunar.month !== date.month || (date.year !== undefined && lunar.year <= date.year)) return false;
  const inLeap = Boolean(date.leap) && LunarYear.fromYear(lunar.year).getLeapMonth() === date.month;
  if (lunar.leap !== inLeap) return false;
  const daysInMonth = LunarMonth.fromYm(lunar.year, inLeap ? -date.month : date.month).getDayCount();
  return lunar.day === Math.min(date.day, daysInMonth);
}

/** Whole years a yearly date has come round on this day (e.g. 合作 3 周年), or null when d is not its anniversary or fewer than 1 year. */
export function anniversaryYears(since: LocalDay, d: LocalDay): number | null {
  const onDay = (d.month === since.month && d.day === since.day)
    || (since.month === 2 && since.day === 29 && d.month === 2 && d.day === 28 && !isLeapYear(d.year));
  const years = d.year - since.year;
  return onDay && years >= 1 ? years : null;
}
