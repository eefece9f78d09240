// Dates shown to people, in the hub's time zone (Asia/Shanghai unless configured).

/** 2026-11-22 14:05 in the given zone. */
export function formatDateTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** Calendar days from a to b as seen in the zone (not 24-hour periods). */
export function wholeDaysBetween(a: Date, b: Date, timeZone: string): number {
  const day = (d: Date) => Date.parse(formatDateTime(d, timeZone).slice(0, 10) + "T00:00:00Z");
  return Math.round((day(b) - day(a)) / 86_400_000);
}

/** 12月8日 10:00 in the given zone: a deadline as a partner reads it. */
export function formatShortDateTime(at: Date, timeZone: string): string {
  const [, month, day, time] = /^\d{4}-(\d{2})-(\d{2}) (\d{2}:\d{2})$/.exec(formatDateTime(at, timeZone))!;
  return `${Number(month)}月${Number(day)}日 ${time}`;
}
