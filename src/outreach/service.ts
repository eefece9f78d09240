// Outreach: what the hub says to partners on its own. Everything here plans Delivery rows (idempotent,
// keyed) and leaves the sending to the outbox worker. Used by the cron table, the CLI and staff commands.
import { platformName, type Capabilities, type Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { UserError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/time-format.ts";
import { deliveryReport, enqueue, PRIORITY, type DeliveryInput, type DeliveryReport } from "../outbox/enqueue.ts";
import { describeAudience, resolveAudience, type Audience } from "./audience.ts";
import { addDays, festivalsOn, formatLocalDay, instantAt, localDayOf, type FestivalCode, type LocalDay } from "./calendar.ts";
import { planGreetings, type GreetingSettings, type PlannedOccasion } from "./greetings.ts";
import { createCampaign, DEFAULT_POLL_TEXT, pollMessage, unansweredChats } from "./polls.ts";
import { OCCASION_NAMES, type Occasion } from "./templates.ts";
import { nextAllowed, type QuietHours } from "../outbox/quiet-hours.ts";
import { qaDigestLine } from "./qa-digest.ts";
import { formatReport, heldText } from "./report.ts";
import { dueDigest } from "./follow-ups.ts";

export interface OutreachSettings extends GreetingSettings {
  staffChats: { platform: Platform; chatId: string }[];
  /** Days before 春节/中秋 that owners of key accounts are asked to prepare a gift; 0 for never. */
  giftDaysAhead: number;
  pollRemindDays: number;
  /** Each platform's pace (capabilities.rateLimit) and the quiet hours it must finish by: planning warns beyond them. */
  capabilities?: Partial<Record<Platform, Capabilities>>;
  quietHours?: QuietHours | null;
}

export interface DayPlan {
  day: string;
  occasions: PlannedOccasion[];
  giftTasks: number;
  pollReminders: number;
  /** Deliveries new to the outbox (0 on a second run of the same day). */
  planned: number;
  /** What would be or was planned: greetings, staff reminders, poll reminders. */
  deliveries: DeliveryInput[];
  /** Per platform, greetings beyond what its pace can send in the day (left over, they expire at midnight). */
  overflow: { platform: Platform; count: number; setting?: string }[];
  dryRun: boolean;
}

export interface CampaignDraft {
  title: string;
  text?: string;
  audience: Audience;
  trigger?: "manual" | "scheduled" | "training" | "complaint";
  dedupeKey?: string;
  createdBy?: string;
  sendAt?: Date;
}

const GIFT_FESTIVALS: FestivalCode[] = ["SPRING", "MID_AUTUMN"];

export class Outreach {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly settings: OutreachSettings,
    /** The chat that reaches a platform user privately. */
    private readonly directChat: (platform: Platform, userId: string) => string = (_p, id) => id,
    /** The outbox's priority lane (a staff alert now): planned there and the worker woken. Planned for later without it. */
    private readonly urgent: (rows: DeliveryInput[]) => Promise<unknown> = (rows) => enqueue(this.db, rows, this.clock.now()),
  ) {}

  today(): LocalDay {
    return localDayOf(this.clock.now(), this.settings.hubTimeZone);
  }

  /** One day's greetings, gift reminders for staff and poll reminders. Running it again plans nothing new. */
  async planDay(day: LocalDay, opts: { dryRun?: boolean } = {}): Promise<DayPlan> {
    const greetings = await planGreetings(this.db, day, this.settings);
    const gifts = await this.#giftTasks(day, !!opts.dryRun);
    const reminders = await this.#pollReminders(day);
    // Follow-ups due today or overdue: the staff chats hear of them with the day's first plan.
    // Only for today: a day planned ahead would fix its digest with what is due now.
    const isToday = formatLocalDay(day) === formatLocalDay(this.today());
    const zone = this.settings.hubTimeZone;
    const followUps = isToday ? await dueDigest(this.db, instantAt(addDays(day, 1), "00:00", zone), zone) : null;
    // With it, one line on yesterday's questions: answered, picked from choices, handed to staff.
    const qa = isToday ? await qaDigestLine(this.db, instantAt(addDays(day, -1), "00:00", zone), instantAt(day, "00:00", zone)) : null;
    const digest = [qa, followUps].filter(Boolean).join("\n\n") || null;
    const morning = instantAt(day, this.settings.sendTime, this.settings.hubTimeZone);
    const dueToday = digest ? this.#toStaff(`followups-due:${formatLocalDay(day)}`, digest, morning) : [];
    const deliveries = [...greetings.deliveries, ...gifts.deliveries, ...reminders.deliveries, ...dueToday];
    const planned = opts.dryRun ? 0 : (await enqueue(this.db, deliveries, this.clock.now())).size;
    // Marked reminded only once the reminders are in the outbox: a crash in between plans them again (keyed).
    if (!opts.dryRun && reminders.polls.length) await this.db.campaign.updateMany({ where: { id: { in: reminders.polls } }, data: { remindedAt: this.clock.now() } });
    return { day: formatLocalDay(day), occasions: greetings.occasions, giftTasks: gifts.count, pollReminders: reminders.deliveries.length, planned, deliveries, dryRun: !!opts.dryRun, overflow: this.#overflow(greetings.deliveries) };
  }

  /**
   * Greetings left unsent when quiet hours begin, on each platform at the pace its capabilities state: each
   * send time's batch joins the queue at its time (除夕 at 18:00 has three hours, not twelve), and the
   * queue drains at the pace.
   */
  #overflow(greetings: DeliveryInput[]): DayPlan["overflow"] {
    const out: DayPlan["overflow"] = [];
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    for (const [platform, caps] of Object.entries(this.settings.capabilities ?? {}) as [Platform, Capabilities][]) {
      const perMinute = caps.rateLimit.perPlatform * 60;
      if (!Number.isFinite(perMinute)) continue;
      const byTime = new Map<number, number>();
      for (const d of greetings) {
        if (d.platform !== platform) continue;
        const at = minutes(this.settings.sendTimes?.[d.occasion as Occasion] ?? this.settings.sendTime);
        byTime.set(at, (byTime.get(at) ?? 0) + 1);
      }
      const times = [...byTime.keys()].sort((a, b) => a - b);
      const quiet = this.settings.quietHours;
      const end = (from: number) => (quiet && quiet.start > from ? quiet.start : 1440);
      let queue = 0;
      times.forEach((t, i) => {
        queue += byTime.get(t)!;
        const until = Math.min(times[i + 1] ?? Infinity, end(t));
        queue = Math.max(0, queue - perMinute * (until - t));
      });
      if (Math.round(queue)) out.push({ platform, count: Math.round(queue), setting: caps.rateLimit.setting });
    }
    return out;
  }

  /** Key accounts' owners prepare a small gift with the company's character (seed 000 第14条) before 春节 and 中秋. */
  async #giftTasks(day: LocalDay, dryRun: boolean): Promise<{ count: number; deliveries: DeliveryInput[] }> {
    const ahead = this.settings.giftDaysAhead;
    if (!ahead) return { count: 0, deliveries: [] };
    const target = addDays(day, ahead);
    const festival = festivalsOn(target).find((f) => GIFT_FESTIVALS.includes(f));
    if (!festival) return { count: 0, deliveries: [] };
    const partners = await this.db.partner.findMany({ where: { isKeyAccount: true, status: "ACTIVE" }, select: { id: true, name: true, ownerName: true }, orderBy: { code: "asc" } });
    if (dryRun || !partners.length) return { count: partners.length, deliveries: [] };
    const name = OCCASION_NAMES[festival];
    const now = this.clock.now();
    const due = instantAt(target, "00:00", this.settings.hubTimeZone);
    for (const p of partners) {
      await this.#followUpOnce({ partnerId: p.id, kind: "GIFT", reason: `${name}（${formatLocalDay(target)}）前为重点客户准备节日礼品`, assigneeName: p.ownerName, dueAt: due, dedupeKey: `gift:${p.id}:${festival}:${target.year}`, createdAt: now });
    }
    const list = partners.map((p) => `${p.name}（${p.ownerName ?? "未指定负责人"}）`).join("、");
    const text = `${name}还有 ${ahead} 天（${formatLocalDay(target)}）。请各位负责人为 ${partners.length} 家重点客户准备一份有公司特色的小礼品：${list}。`;
    // In the morning, not at the 00:05 planning tick.
    return { count: partners.length, deliveries: this.#toStaff(`gift:${festival}:${target.year}`, text, instantAt(day, this.settings.sendTime, this.settings.hubTimeZone)) };
  }

  async #followUpOnce(data: { partnerId: number; kind: string; reason: string; assigneeName: string | null; dueAt: Date; dedupeKey: string; createdAt: Date }) {
    const exists = await this.db.followUp.findUnique({ where: { dedupeKey: data.dedupeKey }, select: { id: true } });
    if (exists) return;
    try {
      await this.db.followUp.create({ data });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // else a concurrent planner made it
    }
  }

  /** A message for every configured staff chat, sent through the outbox (no quiet hours for staff), now or at a time. */
  #toStaff(key: string, text: string, at?: Date): DeliveryInput[] {
    const now = at ?? this.clock.now();
    return this.settings.staffChats.map((c) => ({
      dedupeKey: `staff:${key}:${c.platform}:${c.chatId}`,
      kind: "staff",
      platform: c.platform,
      externalChatId: c.chatId,
      message: { type: "text", text },
      notBefore: now,
    }));
  }

  /**
   * The one way anything tells staff something now (a hand-off, an escalation, a mediation, a re-login
   * report): a message to every configured staff chat, in the outbox's priority lane. The key makes it
   * once (`handoff:12`). `afterMs`: on a paced platform, not before then (a hand-off lets the partner's own
   * answer go first).
   * Returns the staff chats it was planned for (0: HUB_STAFF_CHAT is unset).
   */
  async notifyStaff(key: string, text: string, kind = "staff", opts: { afterMs?: number } = {}): Promise<number> {
    const now = this.clock.now();
    // The wait matters only where sends are paced (one WeChat account sends everything); elsewhere both go at once.
    const paced = (platform: Platform) => Number.isFinite(this.settings.capabilities?.[platform]?.rateLimit.perPlatform ?? Infinity);
    const rows = this.#toStaff(key, text).map((r) => ({
      ...r, kind, priority: PRIORITY.staff,
      notBefore: opts.afterMs && paced(r.platform) ? new Date(now.getTime() + opts.afterMs) : now,
    }));
    await this.urgent(rows);
    return rows.length;
  }

  /**
   * A private message to a staff member by name, on every platform they have an account on, with a staff
   * alert's priority (and, as notifyStaff, `afterMs` on a paced platform); the next outbox run sends it.
   * Returns the accounts it was planned for.
   */
  async notifyPerson(name: string, key: string, text: string, opts: { kind?: string; afterMs?: number } = {}): Promise<number> {
    const staff = await this.db.staff.findUnique({ where: { name }, include: { identities: true } });
    if (!staff) return 0;
    const now = this.clock.now();
    const paced = (platform: Platform) => Number.isFinite(this.settings.capabilities?.[platform]?.rateLimit.perPlatform ?? Infinity);
    const rows: DeliveryInput[] = staff.identities.map((i) => ({
      dedupeKey: `staff:${key}:dm:${i.platform}:${i.externalId}`,
      kind: opts.kind ?? "staff",
      priority: PRIORITY.staff,
      platform: i.platform as Platform,
      externalChatId: this.directChat(i.platform as Platform, i.externalId),
      message: { type: "text", text },
      notBefore: opts.afterMs && paced(i.platform as Platform) ? new Date(now.getTime() + opts.afterMs) : now,
    }));
    // Planned, not pushed: a hand-off's private note must not wake the worker before the partner's answer is planned.
    await enqueue(this.db, rows, now);
    return rows.length;
  }

  async #pollReminders(day: LocalDay): Promise<{ deliveries: DeliveryInput[]; polls: number[] }> {
    const days = this.settings.pollRemindDays;
    if (!days) return { deliveries: [], polls: [] };
    const cutoff = instantAt(addDays(day, -days), "23:59", this.settings.hubTimeZone);
    // Confirmed polls only (a draft has nothing in the outbox), asked at least N days ago.
    const polls = await this.db.campaign.findMany({ where: { kind: "poll", remindedAt: null, remindAfterDays: { not: null }, sendAt: { lte: cutoff } } });
    const out: DeliveryInput[] = [];
    const reminded: number[] = [];
    for (const poll of polls) {
      if (!(await this.db.delivery.count({ where: { campaignId: poll.id, kind: "poll" } }))) continue;
      const audience = await resolveAudience(this.db, JSON.parse(poll.audience) as Audience);
      for (const c of await unansweredChats(this.db, poll.id, audience)) {
        const zone = c.timeZone ?? this.settings.hubTimeZone;
        out.push({
          dedupeKey: `poll-remind:${poll.id}:${c.chatId}`, kind: "poll_reminder", campaignId: poll.id, platform: c.platform, externalChatId: c.externalChatId,
          chatId: c.chatId, partnerId: c.partnerId, timeZone: zone, message: pollMessage(poll.id, poll.text, true), notBefore: instantAt(day, this.settings.sendTime, zone),
        });
      }
      reminded.push(poll.id);
    }
    return { deliveries: out, polls: reminded };
  }

  /** How many partners and groups a filter reaches. */
  async preview(audience: Audience) {
    const r = await resolveAudience(this.db, audience);
    return { ...r, description: describeAudience(audience) };
  }

  /** A notice or poll for an audience, at a time (now by default): created and put in the outbox. */
  async launch(kind: "notice" | "poll", c: CampaignDraft) {
    const { campaign, created } = await this.draft(kind, c);
    return { campaign, created, ...(await this.confirm(campaign.id)) };
  }

  /** Created, not yet sent: staff see the audience count first and confirm. */
  async draft(kind: "notice" | "poll", c: CampaignDraft) {
    const now = this.clock.now();
    const text = c.text ?? (kind === "poll" ? DEFAULT_POLL_TEXT : "");
    if (!text.trim()) throw new UserError("通知内容不能为空。");
    return createCampaign(
      this.db,
      kind,
      { title: c.title, text, audience: c.audience, trigger: c.trigger ?? "manual", dedupeKey: c.dedupeKey, createdBy: c.createdBy, sendAt: c.sendAt ?? now, remindAfterDays: kind === "poll" && this.settings.pollRemindDays ? this.settings.pollRemindDays : null },
      now,
    );
  }

  /** Puts a campaign's messages in the outbox, one per bound group; confirming twice sends nothing twice. */
  async confirm(campaignId: number) {
    const campaign = await this.db.campaign.findUnique({ where: { id: campaignId } });
    if (!campaign) throw new UserError(`没有编号为 ${campaignId} 的通知或调查。`);
    const kind = campaign.kind as "notice" | "poll";
    // A draft "to send on confirmation" is sent, and its reminder counted, from now.
    const now = this.clock.now();
    const confirmedBefore = await this.db.delivery.count({ where: { campaignId: campaign.id } });
    if (campaign.sendAt < now && !confirmedBefore) campaign.sendAt = (await this.db.campaign.update({ where: { id: campaign.id }, data: { sendAt: now } })).sendAt;
    const audience = await resolveAudience(this.db, JSON.parse(campaign.audience) as Audience);
    const { title, text } = campaign;
    const deliveries: DeliveryInput[] = audience.chats.map((chat) => ({
      dedupeKey: `${kind}:${campaign.id}:${chat.chatId}`, kind, campaignId: campaign.id, platform: chat.platform, externalChatId: chat.externalChatId, chatId: chat.chatId,
      partnerId: chat.partnerId, timeZone: chat.timeZone ?? this.settings.hubTimeZone,
      message: kind === "poll" ? pollMessage(campaign.id, text) : { type: "text", text: noticeText(title, text) },
      notBefore: campaign.sendAt,
    }));
    const created = await enqueue(this.db, deliveries, now);
    // Of what this confirmation planned (not what an earlier one did): those quiet hours hold.
    const fresh = deliveries.filter((d) => created.has(d.dedupeKey)).map((d) => ({ timeZone: d.timeZone ?? null, notBefore: d.notBefore }));
    return { planned: created.size, audience, sendAt: campaign.sendAt, confirmedBefore: confirmedBefore > 0, held: this.#held(fresh, campaign.sendAt) };
  }

  /**
   * Of these deliveries, those the worker holds for quiet hours (HUB_QUIET_HOURS, in each partner's zone)
   * when they fall due, and the earliest they go: what staff are told instead of "sent now".
   */
  #held(rows: { timeZone: string | null; notBefore: Date }[], scheduledFor: Date): Held | null {
    const quiet = this.settings.quietHours;
    if (!quiet) return null;
    const now = this.clock.now();
    let count = 0;
    let until: Date | null = null;
    let elsewhere = false;
    for (const r of rows) {
      const zone = r.timeZone ?? this.settings.hubTimeZone;
      const due = r.notBefore > now ? r.notBefore : now;
      // Held at its time, or already put off by the worker to the end of quiet hours: a time that is not the
      // one it was planned for, with quiet hours the minute before.
      const putOff = r.notBefore > now && r.notBefore.getTime() !== scheduledFor.getTime() && nextAllowed(new Date(r.notBefore.getTime() - 60_000), zone, quiet);
      const allowed = nextAllowed(due, zone, quiet) ?? (putOff ? r.notBefore : null);
      if (!allowed) continue;
      count++;
      if (zone !== this.settings.hubTimeZone) elsewhere = true;
      if (!until || allowed < until) until = allowed;
    }
    return count && until ? { count, until, elsewhere } : null;
  }

  /** The quarterly survey (HUB_SATISFACTION_POLL_CRON): once per quarter, whichever instance ticks. */
  async scheduledPoll() {
    const day = this.today();
    const quarter = Math.floor((day.month - 1) / 3) + 1;
    // Keyed by the day it runs: however many instances tick, one poll that day (the schedule may be monthly).
    return this.launch("poll", { title: `${day.year} 年第 ${quarter} 季度满意度调查`, audience: {}, trigger: "scheduled", dedupeKey: `poll:scheduled:${formatLocalDay(day)}` });
  }

  /** After a training's follow-up window: ask its attendees how it went. */
  async pollAfterTrainings() {
    const yesterday = addDays(this.today(), -1);
    const start = new Date(Date.UTC(yesterday.year, yesterday.month - 1, yesterday.day));
    const trainings = await this.db.training.findMany({ where: { day: start }, include: { attendees: true } });
    const out = [];
    for (const t of trainings) {
      if (!t.attendees.length) continue;
      out.push(
        await this.launch("poll", {
          title: `培训「${t.title}」满意度`,
          text: `昨天的培训「${t.title}」对您有帮助吗？请打个分（5 分为非常满意）。也欢迎回复「分数，意见」告诉我们还想学什么。`,
          audience: { partnerIds: t.attendees.map((a) => a.partnerId) },
          trigger: "training",
          dedupeKey: `poll:training:${t.id}`,
        }),
      );
    }
    return out;
  }

  /** After a complaint is resolved: ask that partner whether they are satisfied with how it was handled. */
  async pollAfterComplaint(partnerId: number, complaintRef: string) {
    return this.launch("poll", {
      title: "投诉处理满意度",
      text: "您反映的问题我们已经处理完毕。您对处理结果满意吗？请打个分（5 分为非常满意）。",
      audience: { partnerIds: [partnerId] },
      trigger: "complaint",
      dedupeKey: `poll:complaint:${complaintRef}`,
    });
  }

  /** Sent / failed / pending, and of the pending, those waiting out quiet hours. */
  async report(campaignId: number): Promise<DeliveryReport & { held: Held | null }> {
    const [campaign, pending] = await Promise.all([
      this.db.campaign.findUnique({ where: { id: campaignId }, select: { sendAt: true } }),
      this.db.delivery.findMany({ where: { campaignId, status: "PENDING" }, select: { timeZone: true, notBefore: true } }),
    ]);
    return { ...(await deliveryReport(this.db, { campaignId })), held: campaign ? this.#held(pending, campaign.sendAt) : null };
  }

  /** The report as staff read it, quiet hours' holds included. */
  async reportText(campaignId: number): Promise<string> {
    const r = await this.report(campaignId);
    return formatReport(campaignId, r, this.heldNote(r.held));
  }

  /** "其中 2 条在免打扰时段（22:00–08:00，按客户当地时间），2026-12-08 08:00 起发送", or "". */
  heldNote(held: Held | null): string {
    // The time is the hub's; said so when some of the partners keep another one.
    if (!held) return "";
    const until = `${held.elsewhere ? "最早 " : ""}${this.formatWhen(held.until)}${held.elsewhere ? `（${this.settings.hubTimeZone} 时间）` : ""}`;
    return heldText({ count: held.count, until }, this.quietHoursText());
  }

  /** Quiet hours as staff read them (22:00–08:00). */
  quietHoursText(): string | null {
    const q = this.settings.quietHours;
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    return q ? `${hhmm(q.start)}–${hhmm(q.end)}` : null;
  }

  formatWhen(at: Date): string {
    return formatDateTime(at, this.settings.hubTimeZone);
  }
}

/** Deliveries quiet hours hold: how many, the first time one goes, and whether some partners keep another time zone. */
export interface Held {
  count: number;
  until: Date;
  elsewhere: boolean;
}

/** What partners receive for a notice: its title (when the sender marked one) above the text. */
export const noticeText = (title: string, text: string) => (title && !text.startsWith(title) ? `【${title}】\n${text}` : text);

/** "春节 1,234 人（1,100 条），36 人无法送达" lines, as `outreach plan` and /greetings preview print them. */
export function formatDayPlan(p: DayPlan): string {
  const lines = [`${p.day}${p.dryRun ? "（预览，未写入发件箱）" : ""}`];
  if (!p.occasions.length) lines.push("这一天没有要发的祝福。");
  for (const o of p.occasions) {
    lines.push(`${o.name}：${o.recipients} 人，${o.messages} 条消息${o.unreachable ? `，${o.unreachable} 人没有可发送的私聊或客户群` : ""}`);
  }
  if (p.giftTasks) lines.push(`节日礼品提醒：${p.giftTasks} 家重点客户`);
  if (p.pollReminders) lines.push(`满意度调查提醒：${p.pollReminders} 个群`);
  for (const { platform, count, setting } of p.overflow) {
    lines.push(`注意：${platformName(platform)}按当前速度${setting ? `（${setting}）` : ""}当天发不完，约 ${count} 条祝福会过期不发。请调高速度，或把部分客户的私聊改到其他平台。`);
  }
  if (!p.dryRun) lines.push(`新加入发件箱：${p.planned} 条`);
  return lines.join("\n");
}
