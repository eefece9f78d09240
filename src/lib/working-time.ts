// Working time in a time zone: SLAs count the hours staff are at work (e.g. 09:00-18:00, Monday to
// Friday, Asia/Shanghai), not the night, the weekend or a public holiday. China's holidays move every year
// and come with make-up working weekends (调休), announced by the State Council each winter, so both are
// configuration (HUB_HOLIDAYS, HUB_EXTRA_WORKDAYS), not computed. A bad value is a ConfigError naming
// its variable.
import { ConfigError } from "./errors.ts";

export interface WorkingHours {
  /** Minutes after local midnight. */
  start: number;
  end: number;
  /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
  days: Set<number>;
  /** Local days off although weekdays (国庆, 春节), as UTC midnights. */
  holidays?: Set<number>;
  /** Local weekend days worked (调休), as UTC midnights. */
  extraWorkdays?: Set<number>;
}

/**
 * "2026-10-01..2026-10-07,2027-02-05..2027-02-11,2027-04-05" -> the days, as UTC midnights. Ranges are
 * inclusive.
 */
export function parseDayList(text: string, what: string): Set<number> {
  const days = new Set<number>();
  for (const part of text.split(/[,，\s]+/).filter(Boolean)) {
    const m = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(part);
    const from = m && Date.parse(`${m[1]}T00:00:00Z`);
    const to = m && Date.parse(`${m[2] ?? m[1]}T00:00:00Z`);
    if (!m || Number.isNaN(from) || Number.isNaN(to) || new Date(from!).toISOString().slice(0, 10) !== m[1] || to! < from!) {
      throw new ConfigError([`${what}: must be days like 2026-10-01 or ranges like 2026-10-01..2026-10-07, comma-separated; got ${part}`]);
    }
    for (let d = from!; d <= to!; d += 86_400_000) days.add(d);
  }
  return days;
}

/** HUB_WORKING_HOURS ("09:00-18:00") and HUB_WORKING_DAYS ("1-5"). */
export function parseWorkingHours(hours: string, days: string): WorkingHours {
  const bad = (problem: string) => new ConfigError([problem]);
  const h = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(hours.trim());
  if (!h) throw bad(`HUB_WORKING_HOURS: must look like 09:00-18:00, got ${hours}`);
  if (Number(h[2]) > 59 || Number(h[4]) > 59) throw bad(`HUB_WORKING_HOURS: minutes must be 00-59, got ${hours}`);
  const start = Number(h[1]) * 60 + Number(h[2]);
  const end = Number(h[3]) * 60 + Number(h[4]);
  // Night shifts across midnight are not modelled: SLA hours would count the wrong day.
  if (end <= start || end > 24 * 60) throw bad(`HUB_WORKING_HOURS: must end after they start, within one day (09:00-18:00), got ${hours}`);
  const set = new Set<number>();
  for (const part of days.split(",")) {
    const r = /^\s*([1-7])(?:-([1-7]))?\s*$/.exec(part);
    if (!r) throw bad(`HUB_WORKING_DAYS: must look like 1-5 or 1-5,6 (1 = Monday), got ${days}`);
    if (Number(r[2] ?? r[1]) < Number(r[1])) throw bad(`HUB_WORKING_DAYS: a range must run forward (1-5, not 5-1), got ${days}`);
    for (let d = Number(r[1]); d <= Number(r[2] ?? r[1]); d++) set.add(d);
  }
  return { start, end, days: set };
}

/** The zone's offset from UTC at that instant, in minutes. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The local calendar day (as a UTC midnight) of an instant. */
function localDay(at: Date, timeZone: string): number {
  const local = at.getTime() + offsetMinutes(at, timeZone) * 60_000;
  return Math.floor(local / 86_400_000) * 86_400_000;
}

/** An instant for a local wall-clock time on a local day. */
function atLocal(dayUtcMidnight: number, minutes: number, timeZone: string): number {
  const guess = dayUtcMidnight + minutes * 60_000;
  return guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
}

/** A local day (as a UTC midnight) staff work: a working weekday that is no holiday, or a make-up day. */
function isWorkingDay(day: number, hours: WorkingHours): boolean {
  const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
  return !!hours.extraWorkdays?.has(day) || (hours.days.has(weekday) && !hours.holidays?.has(day));
}

/** Working milliseconds between two instants. */
export function workingMsBetween(from: Date, to: Date, timeZone: string, hours: WorkingHours): number {
  if (to <= from) return 0;
  let total = 0;
  for (let day = localDay(from, timeZone); day <= localDay(to, timeZone); day += 86_400_000) {
    if (!isWorkingDay(day, hours)) continue;
    const open = Math.max(atLocal(day, hours.start, timeZone), from.getTime());
    const close = Math.min(atLocal(day, hours.end, timeZone), to.getTime());
    if (close > open) total += close - open;
  }
  return total;
}

/** The instant `ms` of working time after `from` (a deadline "4 working hours from now"). */
export function addWorkingMs(from: Date, ms: number, timeZone: string, hours: WorkingHours): Date {
  let left = ms;
  // Ten years of days: a calendar with no working day at all is a configuration the SLA cannot meet.
  for (let day = localDay(from, timeZone), n = 0; n < 3660; day += 86_400_000, n++) {
    if (!isWorkingDay(day, hours)) continue;
    const open = Math.max(atLocal(day, hours.start, timeZone), from.getTime());
    const close = atLocal(day, hours.end, timeZone);
    if (close <= open) continue;
    if (left <= close - open) return new Date(open + left);
    left -= close - open;
  }
  throw new Error("no working time within ten years: check HUB_WORKING_DAYS and HUB_HOLIDAYS");
}
