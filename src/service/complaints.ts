// 投诉 (seed 003 六, seed 004: 倾听、同情、道歉、提出方案、落实、总结): a complaint is a ticket linked to the
// message and the partner. Received -> investigating (staff responded) -> resolved -> closed once the person
// who complained rated the handling, or reopened (a low score, or staff). Each ticket has a first-response
// and a resolution deadline by severity, in working hours (src/service/complaint-sla.ts); the escalation
// job (complaint-escalation.ts) raises the overdue ones once. Every step is kept in the complaint's file
// (ComplaintStep) and, for staff steps, in the partner's history as that staff member's action. The
// partner hears of every step that concerns them, through the outbox.
import type { OutboundMessage, Platform } from "../../adapters/contract.ts";
import type { Db } from "../db/client.ts";
import type { InteractionInput } from "../history/log.ts";
import type { Clock } from "../lib/clock.ts";
import { formatShortDateTime } from "../lib/time-format.ts";
import { excerpt } from "../text/excerpt.ts";
import { CATEGORIES, guessCategory, guessSeverity, SEVERITIES, type Category, type Severity } from "../text/complaint-words.ts";
import { deadlines, type SlaClock } from "../lib/complaint-sla.ts";

export type ComplaintRow = NonNullable<Awaited<ReturnType<Db["complaint"]["findUnique"]>>>;

export const STATUS_NAMES: Record<string, string> = { RECEIVED: "已受理", INVESTIGATING: "处理中", RESOLVED: "已解决（待客户确认）", CLOSED: "已结案", REOPENED: "重新处理中" };
/** Statuses staff still owe work on. */
export const OPEN_STATUSES = ["RECEIVED", "INVESTIGATING", "REOPENED"];

/** A staff member acting on a complaint (their step is theirs in the history); null: the partner or the hub. */
export type StepActor = { name: string; staffId: number } | null;

export interface ComplaintDeps extends SlaClock {
  db: Db;
  clock: Clock;
  /** The staff chats (HUB_STAFF_CHAT), once per key; how many chats it went to. */
  notifyStaff(key: string, text: string, kind?: string): Promise<number>;
  /** One staff member, privately on each platform they have an account on; how many messages were planned. */
  notifyPerson(name: string, key: string, text: string): Promise<number>;
  /** Says something in a partner's chat through the outbox, once per key. */
  send(platform: Platform, externalChatId: string, message: OutboundMessage, threadId: string | undefined, kind: string, key: string, staffId?: number): Promise<boolean>;
  /** Into the partner's history. */
  record(row: InteractionInput): Promise<unknown>;
}

export interface Filing {
  partnerId: number | null;
  contactId: number | null;
  platform: Platform;
  externalChatId: string;
  threadId: string | null;
  /** What it came in as: one ticket per message (a message handled again after a stop files nothing new). */
  eventId: string;
  complainant: string | null;
  complainantName: string | null;
  text: string;
  source: "MESSAGE" | "STAFF" | "POLL";
  filedBy: StepActor;
  at: Date;
}

/** A second message from the same person this soon after their complaint adds to it ("我要投诉" then the details). */
export const JOIN_WINDOW_MS = 2 * 3_600_000;
/** New tickets one person may open in an hour; more are added to their latest. */
export const MAX_NEW_PER_HOUR = 3;

export const ref = (c: { id: number }) => `投诉 #${c.id}`;
/** "经理周敏", not "经理王经理" when a manager is filed under their title. */
export const asManager = (name: string) => (/(经理|总|主管)$/.test(name) ? name : `经理${name}`);
const kindName = (c: { category: string; severity: string }) => `${SEVERITIES[c.severity as Severity]}·${CATEGORIES[c.category as Category]}`;

export class ComplaintDesk {
  constructor(readonly d: ComplaintDeps) {}

  /** Files a complaint (or adds it to the person's open one); what the person who complained is told. */
  async file(f: Filing): Promise<{ complaint: ComplaintRow; joined: boolean; toPartner: string }> {
    const { db } = this.d;
    const again = await db.complaint.findUnique({ where: { platform_eventId: { platform: f.platform, eventId: f.eventId } } });
    if (again) {
      // Handled again after a stop: staff hear of it once, whether or not the stop came before they did.
      await this.#announce(again, f.filedBy);
      return { complaint: again, joined: false, toPartner: this.#received(again) };
    }
    const open = await this.#openOneOf(f);
    if (open) {
      // Handled again after a stop: the addition is there already.
      const known = await db.complaintStep.findFirst({ where: { complaintId: open.id, action: "ADDED", text: f.text } });
      if (!known) {
        await this.step(open, "ADDED", f.text, f.filedBy, f.platform, f.at);
        // Staff hear of additions at most once an hour per complaint (the file has them all).
        const hour = Math.floor(f.at.getTime() / 3_600_000);
        const post = `【${ref(open)} 客户补充】${await this.#who(open)}：${f.text}\n（之后一小时内的补充只记入投诉档案：/complaint show ${open.id}）`;
        await this.#tellOwner(open, `complaint:${open.id}:added:${hour}`, post);
      }
      return { complaint: open, joined: true, toPartner: `已把您说的补充到${ref(open)}，${open.ownerName ? `${open.ownerName}会一并跟进` : "同事会一并跟进"}。` };
    }
    const category = guessCategory(f.text);
    const severity = guessSeverity(f.text);
    const owner = await this.#ownerFor(f.partnerId);
    const complaint = await db.complaint.create({
      data: {
        partnerId: f.partnerId, contactId: f.contactId, platform: f.platform, externalChatId: f.externalChatId, threadId: f.threadId, eventId: f.eventId,
        complainant: f.complainant, complainantName: f.complainantName, text: f.text, category, severity, ownerName: owner, source: f.source,
        filedBy: f.filedBy?.name ?? null, receivedAt: f.at, ...deadlines(this.d, severity, f.at),
        steps: { create: { at: f.at, actor: f.filedBy?.name ?? null, action: "FILED", text: f.text } },
      },
    });
    // A complaint staff filed (a phone call) is in the history as theirs; the partner's own words are there already.
    if (f.filedBy) await this.#history(complaint, `【${ref(complaint)}】代客户登记：${f.text}`, f.filedBy, f.platform, f.at);
    await this.#announce(complaint, f.filedBy);
    return { complaint, joined: false, toPartner: this.#received(complaint) };
  }

  /** The staff chats and the owner (privately, unless they filed it themselves) hear of a new complaint, once. */
  async #announce(c: ComplaintRow, filedBy: StepActor): Promise<void> {
    const post =
      `【客户投诉 #${c.id}】${await this.#who(c)}：${c.text}\n` +
      `分类：${CATEGORIES[c.category as Category]}（系统判断）· 严重程度：${SEVERITIES[c.severity as Severity]}（系统判断）。不对请改：/complaint set ${c.id} 分类 严重程度\n` +
      `负责人：${c.ownerName ?? "未指定（请经理指派：/complaint assign " + c.id + " 员工）"} · ${this.deadlineLine(c)}\n` +
      `记录进展：/complaint note ${c.id} 内容 · 处理完：/complaint resolve ${c.id} 处理结果`;
    await this.d.notifyStaff(`complaint:${c.id}`, post, "complaint");
    if (c.ownerName && c.ownerName !== filedBy?.name) await this.d.notifyPerson(c.ownerName, `complaint:${c.id}`, post);
  }

  /** What the partner is told when a complaint is received: its number, who handles it, by when. */
  #received(c: ComplaintRow): string {
    const tz = this.d.timeZone;
    return (
      `很抱歉给您带来不便，您的投诉已受理，编号 #${c.id}。` +
      `${c.ownerName ? `负责处理的是${c.ownerName}，` : ""}我们会在 ${formatShortDateTime(c.respondBy, tz)} 前联系您，${formatShortDateTime(c.resolveBy, tz)} 前给您处理结果。` +
      `有补充可以直接发「投诉：补充内容」，查看进展请发 /complaint。`
    );
  }

  deadlineLine(c: ComplaintRow): string {
    const tz = this.d.timeZone;
    const respond = c.respondedAt ? `已于 ${formatShortDateTime(c.respondedAt, tz)} 首次回复` : `首次回复期限 ${formatShortDateTime(c.respondBy, tz)}`;
    return `${respond} · 解决期限 ${formatShortDateTime(c.resolveBy, tz)}`;
  }

  /**
   * The same person's complaint this new one adds to: received moments ago and not yet taken up ("我要投诉",
   * then the details). From a poll, the contact's open one, whatever its age. Anything later is a new matter.
   */
  async #openOneOf(f: Filing): Promise<ComplaintRow | null> {
    const who = f.contactId !== null ? { contactId: f.contactId } : f.complainant ? { complainant: f.complainant } : null;
    if (!who || f.source === "STAFF") return null;
    const newest = { orderBy: [{ receivedAt: "desc" as const }, { id: "desc" as const }] };
    const open = { status: { in: OPEN_STATUSES } };
    // "投诉：补充…" (as the partner is told to add to it): their open one, else their company's, however old.
    if (/^补充/.test(f.text.trim())) {
      return (await this.d.db.complaint.findFirst({ where: { ...who, partnerId: f.partnerId, ...open }, ...newest }))
        ?? (f.partnerId === null ? null : await this.d.db.complaint.findFirst({ where: { partnerId: f.partnerId, complainant: null, ...open }, ...newest }));
    }
    const fresh = f.source === "POLL" ? open : { status: "RECEIVED", receivedAt: { gte: new Date(f.at.getTime() - JOIN_WINDOW_MS) } };
    const joined = await this.d.db.complaint.findFirst({ where: { ...who, partnerId: f.partnerId, ...fresh }, ...newest });
    if (joined) return joined;
    // Past a few new tickets an hour from one person, more are taken in by their latest (staff are not flooded).
    const lately = await this.d.db.complaint.count({ where: { ...who, receivedAt: { gte: new Date(f.at.getTime() - 3_600_000) } } });
    return lately >= MAX_NEW_PER_HOUR ? this.d.db.complaint.findFirst({ where: { ...who, partnerId: f.partnerId, ...open }, ...newest }) : null;
  }

  /** The partner's owner when they are staff, else the first manager: someone is named for every ticket. */
  async #ownerFor(partnerId: number | null): Promise<string | null> {
    const partner = partnerId === null ? null : await this.d.db.partner.findUnique({ where: { id: partnerId }, select: { ownerName: true } });
    if (partner?.ownerName && (await this.d.db.staff.findUnique({ where: { name: partner.ownerName } }))) return partner.ownerName;
    return (await managerBesides(this.d.db, null))?.name ?? null;
  }

  /** "杭州云帆（HZ001）张伟": whose complaint, as staff read it. */
  async #who(c: ComplaintRow): Promise<string> {
    const partner = c.partnerId === null ? null : await this.d.db.partner.findUnique({ where: { id: c.partnerId }, select: { name: true, code: true } });
    return [partner ? `${partner.name}（${partner.code}）` : "未绑定客户的会话", c.complainantName].filter(Boolean).join(" ");
  }

  async #tellOwner(c: ComplaintRow, key: string, text: string): Promise<number> {
    const inChats = await this.d.notifyStaff(key, text, "complaint");
    return inChats + (c.ownerName ? await this.d.notifyPerson(c.ownerName, key, text) : 0);
  }

  /** Kept in the complaint's file; a staff member's step also in the partner's history, as theirs. */
  async step(c: ComplaintRow, action: string, text: string, actor: StepActor, platform: string, at = this.d.clock.now()): Promise<void> {
    await this.d.db.complaintStep.create({ data: { complaintId: c.id, at, actor: actor?.name ?? null, action, text } });
    if (actor && action !== "FILED") await this.#history(c, `【${ref(c)}】${STEP_NAMES[action] ?? action}：${text}`, actor, platform, at);
  }

  async #history(c: ComplaintRow, text: string, actor: StepActor, platform: string, at: Date): Promise<void> {
    if (c.partnerId === null) return;
    await this.d.record({ platform, direction: "OUT", kind: "complaint", text, partnerId: c.partnerId, contactId: c.contactId, staffId: actor?.staffId ?? null, createdAt: at, meta: { complaintId: c.id } });
  }

  /** Tells the partner, in the chat the complaint came from (under it where the platform threads). */
  async tellPartner(c: ComplaintRow, key: string, text: string, actor: StepActor = null): Promise<boolean> {
    // Filed by staff for a partner with no chat bound: staff tell them by phone.
    if (!c.externalChatId) return false;
    return this.d.send(c.platform as Platform, c.externalChatId, { type: "text", text }, c.threadId ?? undefined, "complaint", `complaint:${c.id}:${key}`, actor?.staffId);
  }

  /** Staff's first response (a note, a reply, a resolution) starts the investigation and stops the response clock. */
  async #responded(c: ComplaintRow, at: Date): Promise<ComplaintRow> {
    if (c.respondedAt && c.status !== "RECEIVED" && c.status !== "REOPENED") return c;
    return this.d.db.complaint.update({ where: { id: c.id }, data: { respondedAt: c.respondedAt ?? at, status: c.status === "RESOLVED" || c.status === "CLOSED" ? c.status : "INVESTIGATING" } });
  }

  async note(c: ComplaintRow, text: string, actor: StepActor, platform: string): Promise<string> {
    const now = this.d.clock.now();
    await this.step(c, "NOTE", text, actor, platform, now);
    const first = !c.respondedAt;
    const after = await this.#responded(c, now);
    return `已记录${ref(c)} 的进展${first ? "，首次回复时间已记下" : ""}。当前状态：${STATUS_NAMES[after.status]}。`;
  }

  /** A message to the partner about their complaint (道歉、说明进展), kept as a step. */
  async reply(c: ComplaintRow, text: string, actor: StepActor, platform: string): Promise<string> {
    const now = this.d.clock.now();
    const n = await this.d.db.complaintStep.count({ where: { complaintId: c.id, action: "REPLIED" } });
    if (!(await this.tellPartner(c, `reply:${n + 1}`, `关于您的${ref(c)}「${excerpt(c.text)}」：\n${text}`, actor))) return `${ref(c)} 的回复没能发出，请稍后再试。`;
    await this.step(c, "REPLIED", text, actor, platform, now);
    await this.#responded(c, now);
    return `已回复客户（${ref(c)}），客户在原来的会话里会看到。`;
  }

  async assign(c: ComplaintRow, to: string, actor: StepActor, platform: string): Promise<string> {
    const staff = await this.d.db.staff.findUnique({ where: { name: to } });
    if (!staff) return `没有叫「${to}」的员工，请检查名字（员工名单由管理员登记）。`;
    if (c.ownerName === staff.name) return `${ref(c)} 已经由${staff.name}负责。`;
    await this.d.db.complaint.update({ where: { id: c.id }, data: { ownerName: staff.name } });
    await this.step(c, "ASSIGNED", `转给${staff.name}${c.ownerName ? `（原负责人${c.ownerName}）` : ""}`, actor, platform);
    const told = await this.d.notifyPerson(
      staff.name, `complaint:${c.id}:assigned:${staff.name}:${this.d.clock.now().getTime()}`,
      `【${ref(c)} 转给您】${await this.#who(c)}：${c.text}\n${kindName(c)} · ${this.deadlineLine(c)}\n${actor ? `${actor.name}指派。` : ""}查看：/complaint show ${c.id}`,
    );
    return `${ref(c)} 已转给${staff.name}${told ? "，已私信通知" : "（该员工没有绑定聊天账号，请当面告知）"}。`;
  }

  /** Category and/or severity as staff judge them; a new severity moves the deadlines (from receipt, or the reopening). */
  async set(c: ComplaintRow, to: { category?: Category; severity?: Severity }, actor: StepActor, platform: string): Promise<string> {
    const category = to.category ?? (c.category as Category);
    const severity = to.severity ?? (c.severity as Severity);
    const moved = severity !== c.severity ? deadlines(this.d, severity, c.reopenedAt ?? c.receivedAt) : null;
    const after = await this.d.db.complaint.update({
      where: { id: c.id },
      data: { category, severity, confirmed: true, ...(moved ? { ...moved, respondEscalatedAt: null, resolveEscalatedAt: null } : {}) },
    });
    await this.step(c, "SET", `${CATEGORIES[category]} · ${SEVERITIES[severity]}`, actor, platform);
    return `${ref(c)}：${CATEGORIES[category]} · ${SEVERITIES[severity]}（已确认）。${moved ? `期限按新的严重程度重算：${this.deadlineLine(after)}` : ""}`;
  }

  /** Resolved: the partner hears the result and the person who complained is asked to rate the handling. */
  async resolve(c: ComplaintRow, result: string, actor: StepActor, platform: string, askRating: (c: ComplaintRow, round: number) => Promise<string>): Promise<string> {
    const now = this.d.clock.now();
    // Resolved already and not rated (the partner was maybe never told: a send failed): told again, under
    // the same keys, so nothing goes twice.
    const retold = c.status === "RESOLVED";
    if (!retold) {
      const { count } = await this.d.db.complaint.updateMany({ where: { id: c.id, status: { in: OPEN_STATUSES } }, data: { status: "RESOLVED", resolution: result, resolvedAt: now, respondedAt: c.respondedAt ?? now, rating: null } });
      if (!count) return `${ref(c)} 刚被同事处理了，可以用 /complaint show ${c.id} 查看。`;
      await this.step(c, "RESOLVED", result, actor, platform, now);
    }
    const resolution = retold ? (c.resolution ?? result) : result;
    const round = await this.d.db.complaintStep.count({ where: { complaintId: c.id, action: "RESOLVED" } });
    await this.tellPartner(c, `resolved:${round}`, `您的${ref(c)}「${excerpt(c.text)}」已处理：\n${resolution}\n再次为给您带来的不便道歉，谢谢您的耐心。`, actor);
    const asked = await askRating({ ...c, status: "RESOLVED", resolution }, round);
    return retold ? `${ref(c)} 已经是已解决，已再次把处理结果告诉客户（没有重复发送）。${asked}` : `${ref(c)} 已标记为已解决，处理结果已告诉客户。${asked}`;
  }

  /** Back to work: new deadlines from now; `to` takes it over (a manager, after a low rating). */
  async reopen(c: ComplaintRow, reason: string, actor: StepActor, platform: string): Promise<ComplaintRow> {
    const now = this.d.clock.now();
    const after = await this.d.db.complaint.update({ where: { id: c.id }, data: this.reopened(c, now, null) });
    // Its open rating is no longer the question.
    await this.d.db.prompt.updateMany({ where: { complaintId: c.id, kind: "RATING", status: "OPEN" }, data: { status: "CLOSED" } });
    await this.step(c, "REOPENED", reason, actor, platform, now);
    // The owner hears it when someone else reopened their complaint.
    if (after.ownerName && after.ownerName !== actor?.name) {
      await this.d.notifyPerson(after.ownerName, `complaint:${c.id}:reopened:${now.getTime()}`, `【${ref(c)} 重新打开】${actor ? `${actor.name}：` : ""}${reason}\n${this.deadlineLine(after)}。查看：/complaint show ${c.id}`);
    }
    return after;
  }

  /** A reopened complaint: back to work with new deadlines from now; `to` takes it over (a manager, after a low rating). */
  reopened(c: ComplaintRow, now: Date, to: string | null) {
    return {
      status: "REOPENED", reopenedAt: now, closedAt: null, respondedAt: null, respondEscalatedAt: null, resolveEscalatedAt: null,
      ...deadlines(this.d, c.severity as Severity, now), ...(to ? { ownerName: to } : {}),
    };
  }
}

export const STEP_NAMES: Record<string, string> = {
  FILED: "受理", ADDED: "客户补充", ASSIGNED: "指派", SET: "分类", NOTE: "进展", REPLIED: "回复客户", RESOLVED: "处理结果",
  RATED: "客户评分", REOPENED: "重新处理", CLOSED: "结案", ESCALATED: "超时提醒",
};

/** The first manager (then admin) who is not `besides`: who hears of an overdue or badly rated complaint. */
export async function managerBesides(db: Db, besides: string | null) {
  for (const role of ["MANAGER", "ADMIN"]) {
    const found = await db.staff.findFirst({ where: { role, ...(besides ? { name: { not: besides } } : {}) }, orderBy: { id: "asc" } });
    if (found) return found;
  }
  return null;
}

/**
 * What a partner's person reads with /complaint: their own complaints only (one may complain about a
 * colleague of theirs), wherever they ask.
 */
export async function complaintsOf(db: Db, who: { contactId: number | null; complainant: string; partnerId: number | null }, timeZone: string): Promise<string> {
  // Theirs, and those staff filed for their company (the company was told of them in its group).
  const filedForThem = who.partnerId === null ? [] : [{ partnerId: who.partnerId, complainant: null }];
  const mine = { OR: [...(who.contactId !== null ? [{ contactId: who.contactId }] : []), { complainant: who.complainant }, ...filedForThem] };
  const rows = await db.complaint.findMany({ where: mine, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], take: 10 });
  if (!rows.length) return "您目前没有投诉记录。遇到问题可以直接发「投诉：具体情况」，我们会尽快处理。";
  const lines = rows.map((c) => {
    const when = OPEN_STATUSES.includes(c.status) ? `，${formatShortDateTime(c.resolveBy, timeZone)} 前给您结果` : c.resolution ? `，结果：${excerpt(c.resolution, 40)}` : "";
    return `· ${ref(c)}「${excerpt(c.text, 20)}」：${STATUS_NAMES[c.status] ?? c.status}${c.ownerName ? `，负责人 ${c.ownerName}` : ""}${when}`;
  });
  return `您的投诉（最近 ${rows.length} 条）：\n${lines.join("\n")}`;
}
