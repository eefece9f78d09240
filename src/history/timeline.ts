// A partner's interaction timeline, newest first, as staff read it with /history.
import { displayName } from "../text/person-name.ts";
import { platformName } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import { formatDateTime } from "../lib/time-format.ts";

/** Longest excerpt of one message in a timeline line. */
const EXCERPT_CHARS = 80;

export interface TimelineEntry {
  at: Date;
  platform: string;
  direction: string;
  kind: string;
  who: string;
  text: string;
}

/** An unregistered member's stand-in contact is named "昵称（platform:id）"; people read just the nickname. */
function contactLabel(c: { name: string; unidentified: boolean }): string {
  return c.unidentified ? `未登记成员 ${displayName(c.name)}` : c.name;
}

export async function timeline(db: Db, partnerId: number, limit: number): Promise<TimelineEntry[]> {
  const rows = await db.interaction.findMany({
    where: { partnerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { contact: { select: { name: true, unidentified: true } }, staff: { select: { name: true } } },
  });
  return rows.map((r) => ({
    at: r.createdAt,
    platform: r.platform,
    direction: r.direction,
    kind: r.kind,
    // A staff member's action filed in the history (a follow-up's result) reads as theirs, not the bot's.
    who: r.staff ? `员工 ${r.staff.name}` : r.direction === "OUT" ? "伙伴通" : r.contact ? contactLabel(r.contact) : "未知发送人",
    text: r.text,
  }));
}

export function formatTimeline(entries: TimelineEntry[], timeZone: string): string {
  return entries
    .map((e) => {
      const text = e.text.replace(/\s+/g, " ");
      const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
      const arrow = e.direction === "OUT" ? (e.kind === "send_failed" ? "→（未送达）" : "→") : "←";
      return `${formatDateTime(e.at, timeZone).slice(5)} ${arrow} ${e.who} · ${platformName(e.platform)}：${excerpt}`;
    })
    .join("\n");
}
