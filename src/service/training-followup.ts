// Training follow-up (seed 000 第17条: after a training, answer questions the same or the next day). The
// day after a session the attendees' groups are invited to ask; questions in the window are tagged to
// the training; at the end of the window the trainer hears which are still unanswered.
import type { Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import { formatDateTime } from "../lib/time-format.ts";
import { normalizeText } from "../text/normalize.ts";

const DAY = 86_400_000;

/** The local date as a UTC midnight, the form Training.day is kept in. */
export function localDay(at: Date, timeZone: string): Date {
  return new Date(`${formatDateTime(at, timeZone).slice(0, 10)}T00:00:00Z`);
}

/** 2026-11-25, 2026/11/25, 11月25日, 今天, 昨天, 明天 -> a day; undefined when unreadable. */
export function parseTrainingDay(text: string, now: Date, timeZone: string): Date | undefined {
  const t = normalizeText(text);
  const today = localDay(now, timeZone);
  const relative: Record<string, number> = { 前天: -2, 昨天: -1, 今天: 0, 明天: 1, 后天: 2 };
  if (t in relative) return new Date(today.getTime() + relative[t] * DAY);
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  const short = /^(\d{1,2})月(\d{1,2})[日号]?$/.exec(t);
  if (!full && !short) return undefined;
  const [y, mo, d] = full ? [Number(full[1]), Number(full[2]), Number(full[3])] : [today.getUTCFullYear(), Number(short![1]), Number(short![2])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCMonth() === mo - 1 && day.getUTCDate() === d ? day : undefined;
}

/** The training whose follow-up window (its day and the next) includes now, for a partner who attended. */
export async function trainingInWindow(db: Db, partnerId: number | null, now: Date, timeZone: string) {
  if (partnerId === null) return null;
  const today = localDay(now, timeZone);
  return db.training.findFirst({
    where: { day: { gte: new Date(today.getTime() - DAY), lte: today }, attendees: { some: { partnerId } } },
    orderBy: { day: "desc" },
  });
}

export interface TrainingJobDeps {
  db: Db;
  clock: Clock;
  timeZone: string;
  /** Into the outbox, to a partner's group, under a dedupe key; false when it could not be planned. */
  send(platform: Platform, chatId: string, text: string, key: string): Promise<boolean>;
  /** Into the outbox, to the staff chats; false when there are none. */
  notifyStaff(key: string, text: string): Promise<boolean>;
}

/** The day after: invite each attendee's partner groups to ask. Returns the trainings it invited for. */
export async function inviteAttendees(d: TrainingJobDeps): Promise<number[]> {
  const yesterday = new Date(localDay(d.clock.now(), d.timeZone).getTime() - DAY);
  const due = await d.db.training.findMany({ where: { day: { lte: yesterday, gte: new Date(yesterday.getTime() - DAY) }, invitedAt: null }, include: { attendees: true } });
  const done: number[] = [];
  for (const t of due) {
    const claim = await d.db.training.updateMany({ where: { id: t.id, invitedAt: null }, data: { invitedAt: d.clock.now() } });
    if (claim.count !== 1) continue;
    done.push(t.id);
    const chats = await d.db.chat.findMany({ where: { partnerId: { in: t.attendees.map((a) => a.partnerId) }, kind: "group", internal: false } });
    const when = t.day.getTime() === yesterday.getTime() ? "昨天" : `${t.day.getUTCMonth() + 1}月${t.day.getUTCDate()}日`;
    const text = `${when}「${t.title}」之后，大家还有什么疑问吗？直接在群里提问就行，我会先从培训资料里找答案，我答不上来的，会请讲师${t.trainerName}跟进。`;
    let sent = 0;
    for (const c of chats) if (await d.send(c.platform as Platform, c.externalChatId, text, `training-invite:${t.id}:${c.id}`)) sent++;
    // Nothing could be planned: let the next run try again.
    if (chats.length && !sent) await d.db.training.update({ where: { id: t.id }, data: { invitedAt: null } });
  }
  return done;
}

/** When the window has closed: tell the trainer (in the staff chat) which questions are still open. */
export async function reportUnanswered(d: TrainingJobDeps): Promise<number[]> {
  const yesterday = new Date(localDay(d.clock.now(), d.timeZone).getTime() - DAY);
  const closed = await d.db.training.findMany({ where: { day: { lt: yesterday }, reportedAt: null } });
  const reported: number[] = [];
  for (const t of closed) {
    const claim = await d.db.training.updateMany({ where: { id: t.id, reportedAt: null }, data: { reportedAt: d.clock.now() } });
    if (claim.count !== 1) continue;
    const open = await d.db.question.findMany({ where: { trainingId: t.id, status: "OPEN" }, orderBy: { id: "asc" } });
    if (!open.length) continue;
    reported.push(t.id);
    const lines = open.map((q) => `#${q.id} ${q.text}`).join("\n");
    const delivered = await d.notifyStaff(`training-report:${t.id}`, `【培训答疑】讲师${t.trainerName}：「${t.title}」培训后还有 ${open.length} 个问题没有回答：\n${lines}\n回答：/answer 编号 回答内容`);
    if (!delivered) await d.db.training.update({ where: { id: t.id }, data: { reportedAt: null } });
  }
  return reported;
}
