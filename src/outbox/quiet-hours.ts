// Quiet hours: the hub does not greet, announce or survey partners at night in their own time zone.
// Replies to what a partner just asked are not held back.

export interface QuietHours {
  /** Minutes after local midnight; the range may wrap past midnight (21:00-08:00). */
  start: number;
  end: number;
}

export function parseQuietHours(text: string): QuietHours | null {
  if (text.trim() === "off") return null;
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[3]) > 23 || Number(m[2]) > 59 || Number(m[4]) > 59) {
    throw new Error(`quiet hours must look like 21:00-08:00 (or off), got ${text}`);
  }
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start === end) throw new Error(`quiet hours must not start and end at the same time: ${text}`);
  return { start, end };
}

/** Minutes after local midnight at that instant in the zone. */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "numeric", minute: "numeric" }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return get("hour") * 60 + get("minute");
}

/** Null when sending is fine now; else the instant quiet hours end. */
export function nextAllowed(now: Date, timeZone: string, quiet: QuietHours): Date | null {
  const m = localMinutes(now, timeZone);
  const inside = quiet.start < quiet.end ? m >= quiet.start && m < quiet.end : m >= quiet.start || m < quiet.end;
  if (!inside) return null;
  const wait = (quiet.end - m + 1440) % 1440;
  const minuteStart = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(minuteStart + wait * 60_000);
}
