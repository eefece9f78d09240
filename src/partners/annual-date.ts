// Dates that come back every year: birthdays and wedding anniversaries, solar (公历) or lunar (农历),
// with or without a year. Stored as short text so both databases keep them the same way:
//   solar:1978-05-12   solar:--05-12   lunar:1978-03-08   lunar:--03-08   lunar:--r04-01 (闰四月初一)
import LunarCalendar from "lunar-javascript";
import { normalizeText } from "../text/normalize.ts";

const { LunarMonth, LunarYear } = LunarCalendar;

export interface AnnualDate {
  calendar: "solar" | "lunar";
  year?: number;
  month: number;
  day: number;
  /** Lunar leap month (闰月). */
  leap?: boolean;
}

const LUNAR_MONTHS = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"];
const LUNAR_MONTH_ALIASES: Record<string, number> = {
  正: 1, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 冬: 11, 十二: 12, 腊: 12, 臘: 12,
};
const DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const DAYS_IN_SOLAR_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function lunarDayName(day: number): string {
  if (day === 10) return "初十";
  if (day === 20) return "二十";
  if (day === 30) return "三十";
  const tens = ["初", "十", "廿", "三十"][Math.floor(day / 10)];
  const unit = "一二三四五六七八九"[(day % 10) - 1];
  return tens + unit;
}

function parseLunarDay(text: string): number | undefined {
  const t = text.replace(/[日号]$/, "");
  if (/^\d{1,2}$/.test(t)) return Number(t);
  const m = /^(初|十|廿|卄|二十|三十|卅)?([一二三四五六七八九十])?$/.exec(t);
  if (!m || (!m[1] && !m[2])) return undefined;
  const prefix = m[1] ?? "";
  const unit = m[2];
  if (prefix === "初") return unit === "十" ? 10 : unit ? DIGITS[unit] : undefined;
  if (prefix === "") return unit === "十" ? 10 : undefined;
  const base = { 十: 10, 廿: 20, 卄: 20, 二十: 20, 三十: 30, 卅: 30 }[prefix]!;
  if (!unit) return base;
  if (unit === "十") return undefined;
  return base + DIGITS[unit];
}

function validSolar(d: AnnualDate): boolean {
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  if (d.year === undefined) return d.day <= DAYS_IN_SOLAR_MONTH[d.month - 1];
  const real = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return real.getUTCMonth() === d.month - 1 && d.year >= 1900 && d.year <= 2100;
}

/**
 * Reads what people write in a spreadsheet: 1978-05-12, 1978/5/12, 1978年5月12日, 5月12日, 05-12,
 * 农历三月初八, 农历1978年三月初八, 阴历闰四月初一, 农历3月8日. Returns undefined when it cannot.
 */
export function parseAnnualDate(input: string | Date): AnnualDate | undefined {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return undefined;
    return { calendar: "solar", year: input.getUTCFullYear(), month: input.getUTCMonth() + 1, day: input.getUTCDate() };
  }
  let text = normalizeText(input).replace(/\s+/g, "");
  if (!text) return undefined;
  const lunar = /^(农历|阴历|旧历)/.exec(text);
  if (lunar) {
    text = text.slice(lunar[0].length);
    let year: number | undefined;
    const y = /^(\d{4})年?/.exec(text);
    if (y) {
      year = Number(y[1]);
      text = text.slice(y[0].length);
    }
    const leap = text.startsWith("闰");
    if (leap) text = text.slice(1);
    const m = /^(\d{1,2}|十一|十二|[正一二三四五六七八九十冬腊])月(.+)$/.exec(text);
    if (!m) return undefined;
    const month = /^\d+$/.test(m[1]) ? Number(m[1]) : LUNAR_MONTH_ALIASES[m[1]];
    const day = parseLunarDay(m[2]);
    if (!month || month > 12 || !day || day < 1 || day > 30) return undefined;
    if (year !== undefined && (year < 1900 || year > 2100)) return undefined;
    // With a year we can check the date existed: that year's leap month, and 29- or 30-day months.
    if (year !== undefined) {
      if (leap && LunarYear.fromYear(year).getLeapMonth() !== month) return undefined;
      if (day > LunarMonth.fromYm(year, leap ? -month : month).getDayCount()) return undefined;
    }
    return { calendar: "lunar", year, month, day, ...(leap ? { leap } : {}) };
  }
  text = text.replace(/^(公历|阳历|新历)/, "");
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  let d: AnnualDate | undefined;
  if (m) d = { calendar: "solar", year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  else if ((m = /^(?:--)?(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(text))) {
    d = { calendar: "solar", month: Number(m[1]), day: Number(m[2]) };
  }
  return d && validSolar(d) ? d : undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");

export function encodeAnnualDate(d: AnnualDate): string {
  const year = d.year === undefined ? "--" : `${d.year}-`;
  return `${d.calendar}:${year}${d.leap ? "r" : ""}${pad(d.month)}-${pad(d.day)}`;
}

export function decodeAnnualDate(stored: string): AnnualDate {
  const m = /^(solar|lunar):(?:(\d{4})-|--)(r?)(\d{2})-(\d{2})$/.exec(stored);
  if (!m) throw new Error(`Not an encoded annual date: ${stored}`);
  return {
    calendar: m[1] as AnnualDate["calendar"],
    ...(m[2] ? { year: Number(m[2]) } : {}),
    month: Number(m[4]),
    day: Number(m[5]),
    ...(m[3] ? { leap: true } : {}),
  };
}

/** As people read it, and as the export writes it (it parses back to the same value). */
export function formatAnnualDate(d: AnnualDate): string {
  if (d.calendar === "lunar") {
    const year = d.year === undefined ? "" : `${d.year}年`;
    return `农历${year}${d.leap ? "闰" : ""}${LUNAR_MONTHS[d.month - 1]}月${lunarDayName(d.day)}`;
  }
  return d.year === undefined ? `${d.month}月${d.day}日` : `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}
