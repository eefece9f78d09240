// /complaint: 投诉. A partner files one with `/complaint <内容>` or in plain words (我要投诉…, 投诉：…; see
// src/text/complaint-words.ts) and reads how theirs stand with `/complaint`. Staff work the tickets:
//   /complaint list [我的|逾期|全部|<客户>]    open ones by deadline; mine; overdue; all; one partner's
//   /complaint show <编号>                     the file: what was said, deadlines, every step
//   /complaint add <客户> <内容>               file one for a partner (a phone call, a visit)
//   /complaint assign <编号> <员工>            hand it to a colleague (told privately)
//   /complaint set <编号> [分类] [严重程度]     confirm or correct the guess; 确认 keeps it
//   /complaint note <编号> <内容>              progress (the first one stops the response clock)
//   /complaint reply <编号> <内容>             a message to the partner about it
//   /complaint resolve <编号> <处理结果>        the result to the partner, who is asked to rate it
//   /complaint reopen <编号> [原因]            back to work, with new deadlines
import type { OutboundMessage, Platform } from "../../adapters/contract.ts";
import { addresseeOf } from "../prompts/store.ts";
import { askRating } from "../service/complaint-rating.ts";
import { listComplaints, showComplaint, type ListFilter } from "../service/complaint-views.ts";
import { CATEGORIES, categoryNamed, SEVERITIES, severityNamed, type Category, type Severity } from "../text/complaint-words.ts";
import { complaintsOf, ref, type ComplaintRow, type StepActor } from "../service/complaints.ts";
import { formatShortDateTime } from "../lib/time-format.ts";
import { normalizeText } from "../text/normalize.ts";
import { displayName } from "../text/person-name.ts";
import { notYours, ownPartnerIds } from "./file-access.ts";
import { partnerArg } from "./partner-arg.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";

/** Shorter than this is not something anyone could act on ("投诉：差"). */
const MIN_COMPLAINT_CHARS = 4;

/** Staff's verbs as a partner might type them: `list`, or a verb with a ticket number (`回复 3 …`). */
const STAFF_VERBS = /^(?:(?:list|列表)$|(?:list|show|add|assign|set|note|reply|resolve|reopen|列表|详情|登记|指派|分类|备注|回复|回覆|解决|重开)\s+#?\d)/i;

export const complaintCommand: Command = {
  name: "complaint",
  aliases: ["投诉", "投訴"],
  usage:
    "/complaint <投诉内容>（或直接发「投诉：内容」）  ·  /complaint 查看进展  ·  员工：/complaint list [我的|逾期|全部|客户] · show <编号> · add <客户> <内容> · assign <编号> <员工> · set <编号> <分类> <严重程度> · note <编号> <内容> · reply <编号> <内容> · resolve <编号> <处理结果> · reopen <编号> [原因]",
  summary: "投诉：客户提交、查看进展；员工受理、指派、记录、解决、重开",
  staffOnly: false,
  async run(ctx) {
    if (ctx.actor.kind === "staff") return staffRun(ctx);
    const partnerId = ctx.chat.partnerId ?? (ctx.actor.kind === "contact" ? ctx.actor.partnerId : null);
    const said = ctx.args.trim();
    const complainant = addresseeOf(ctx.platform, ctx.senderId);
    const contactId = ctx.actor.kind === "contact" ? ctx.actor.contactId : null;
    // "/complaint 查看", also with a number ("查看 #1"): how theirs stand, never a new complaint.
    if (!said || /^(查看|进展|进度|状态|查询)\s*#?\d*$/.test(normalizeText(said))) return [text(await complaintsOf(ctx.db, { contactId, complainant, partnerId }, ctx.timeZone))];
    if (STAFF_VERBS.test(normalizeText(said))) return [text("抱歉，受理和处理投诉是员工的功能。您可以发送 /complaint 查看投诉的进展。")];
    if ([...said].length < MIN_COMPLAINT_CHARS) throw new UsageError("请写下具体情况，例如：投诉：上周订的货到现在还没发");
    const filed = await ctx.complaints.file({
      partnerId, contactId, platform: ctx.platform, externalChatId: ctx.chat.externalId,
      threadId: ctx.threadId, eventId: ctx.eventId, complainant, complainantName: ctx.actor.name ? displayName(ctx.actor.name) : null,
      text: said, source: "MESSAGE", filedBy: null, at: ctx.clock.now(),
    });
    ctx.kick();
    return [text(filed.toPartner)];
  },
};

async function staffRun(ctx: CommandContext) {
  const [verb = "", first = "", ...rest] = ctx.args.split(/\s+/);
  const more = rest.join(" ").trim();
  const actor: StepActor = ctx.actor.kind === "staff" ? { name: ctx.actor.name, staffId: ctx.actor.staffId } : null;
  const desk = ctx.complaints;
  const v = normalizeText(verb).toLowerCase();
  const after = async (said: string) => {
    ctx.kick();
    return [text(said)];
  };
  // Staff's work on complaints names partners and quotes them: never where a partner reads along.
  if (ctx.chat.kind === "group" && !ctx.chat.internal && !ctx.native) return [text("处理投诉请私聊我，或在内部员工群里使用（客户群里看得到回复）。")];
  // "/投诉 逾期" is the list it names.
  const shortcut = /^(我的|逾期|超时|全部|mine|overdue|all)$/i.test(v);
  switch (shortcut ? "list" : v) {
    case "":
    case "list":
    case "列表": {
      const filter = await listFilter(ctx, (shortcut ? [verb, first, ...rest] : [first, ...rest]).join(" ").trim());
      if (typeof filter === "string") return [text(filter)];
      if (Array.isArray(filter)) return filter;
      const ids = await ownPartnerIds(ctx);
      return [text(await listComplaints(ctx.db, filter, ids === null || !actor ? null : { partnerIds: ids, ownerName: actor.name }, ctx.clock.now(), ctx.timeZone))];
    }
    case "show":
    case "查看":
    case "详情": {
      const c = await complaintById(ctx, first);
      if (typeof c === "string") return [text(c)];
      return [text(await showComplaint(ctx.db, c, ctx.clock.now(), ctx.timeZone))];
    }
    case "add":
    case "登记": {
      if (!first || !more) throw new UsageError("例如 /complaint add HZ001 电话反映：上周的货少发了两箱");
      const found = await partnerArg(ctx, first, (code) => `/complaint add ${code} ${more}`);
      if (found.answer) return found.answer;
      const match = { partner: found.partner };
      const refused = await notYours(ctx, match.partner.id);
      if (refused) return [text(refused)];
      const where = await partnerChat(ctx, match.partner.id);
      const filed = await desk.file({
        partnerId: match.partner.id, contactId: null, platform: (where?.platform ?? ctx.platform) as Platform, externalChatId: where?.externalChatId ?? "", threadId: null,
        eventId: `staff:${ctx.platform}:${ctx.eventId}`, complainant: null, complainantName: null, text: more, source: "STAFF", filedBy: actor, at: ctx.clock.now(),
      });
      const told = where ? await desk.tellPartner(filed.complaint, "received", `您好，我们已为贵公司登记投诉：「${more}」\n${filed.toPartner}`) : false;
      return after(`已登记${ref(filed.complaint)}（${match.partner.name}），负责人 ${filed.complaint.ownerName ?? "未指定"}。${told ? "编号和期限已告诉客户。" : "客户没有绑定的会话，请电话告知客户投诉编号。"}`);
    }
    case "assign":
    case "指派": {
      // Handing it on gives the colleague the partner's file: the partner's own agent or a manager decides.
      const c = await openComplaint(ctx, first, { strict: true });
      if (typeof c === "string") return [text(c)];
      if (!more) throw new UsageError(`例如 /complaint assign ${c.id} 小陈`);
      return after(await desk.assign(c, more.replace(/^@/, ""), actor, ctx.platform));
    }
    case "set":
    case "分类": {
      const c = await complaintById(ctx, first);
      if (typeof c === "string") return [text(c)];
      const to: { category?: Category; severity?: Severity } = {};
      for (const w of rest.filter(Boolean)) {
        const category = categoryNamed(w);
        const severity = severityNamed(w);
        if (category) to.category = category;
        else if (severity) to.severity = severity;
        else if (!/^(确认|ok|对)$/i.test(w)) throw new UsageError(`「${w}」不是分类或严重程度。分类：${Object.values(CATEGORIES).join("、")}；严重程度：${Object.values(SEVERITIES).join("、")}`);
      }
      if (!rest.filter(Boolean).length) throw new UsageError(`例如 /complaint set ${c.id} 物流 严重，或 /complaint set ${c.id} 确认`);
      return after(await desk.set(c, to, actor, ctx.platform));
    }
    case "note":
    case "备注":
    case "进展": {
      const c = await complaintById(ctx, first);
      if (typeof c === "string") return [text(c)];
      if (!more) throw new UsageError(`例如 /complaint note ${c.id} 已电话联系客户，物流在查`);
      return after(await desk.note(c, more, actor, ctx.platform));
    }
    case "reply":
    case "回复": {
      const c = await complaintById(ctx, first);
      if (typeof c === "string") return [text(c)];
      if (!more) throw new UsageError(`例如 /complaint reply ${c.id} 非常抱歉，已安排明天补发`);
      if (!c.externalChatId) return [text(`${ref(c)} 是代客户登记的，客户没有绑定的会话，请电话联系客户，再用 /complaint note 记录。`)];
      return after(await desk.reply(c, more, actor, ctx.platform));
    }
    case "resolve":
    case "解决": {
      const c = await complaintById(ctx, first);
      if (typeof c === "string") return [text(c)];
      if (!more) throw new UsageError(`请写上处理结果，例如 /complaint resolve ${c.id} 已补发两箱，并赠送一箱滤芯`);
      if (c.status === "CLOSED") return [text(`${ref(c)} 已经结案。需要重新处理请用 /complaint reopen ${c.id} 原因`)];
      return after(await desk.resolve(c, more, actor, ctx.platform, (row, round) => askRating(desk, row, round)));
    }
    case "reopen":
    case "重开": {
      const c = await complaintById(ctx, first, { strict: (found) => found.status === "CLOSED" });
      if (typeof c === "string") return [text(c)];
      if (c.status !== "RESOLVED" && c.status !== "CLOSED") return [text(`${ref(c)} 还没有解决，不需要重开。`)];
      const reason = more || "员工重新打开";
      const reopened = await desk.reopen(c, reason, actor, ctx.platform);
      await desk.tellPartner(reopened, `reopened:${reopened.reopenedAt!.getTime()}`, `您的${ref(c)} 我们重新打开了，会继续跟进处理${reopened.ownerName ? `（负责人${reopened.ownerName}）` : ""}，${formatShortDateTime(reopened.respondBy, ctx.timeZone)} 前联系您。`);
      return after(`${ref(c)} 已重新打开，期限从现在重算：${desk.deadlineLine(reopened)}。`);
    }
    default:
      throw new UsageError();
  }
}

async function listFilter(ctx: CommandContext, word: string): Promise<ListFilter | string | OutboundMessage[]> {
  const w = normalizeText(word);
  if (!w) return { kind: "open" };
  if (/^(我的|mine|my)$/i.test(w)) return ctx.actor.kind === "staff" ? { kind: "mine", name: ctx.actor.name } : { kind: "open" };
  if (/^(逾期|超时|overdue)$/i.test(w)) return { kind: "overdue" };
  if (/^(全部|all)$/i.test(w)) return { kind: "all" };
  const found = await partnerArg(ctx, w, (code) => `/complaint list ${code}`);
  if (found.answer) return found.answer;
  return (await notYours(ctx, found.partner.id)) ?? { kind: "partner", partnerId: found.partner.id, label: `${found.partner.name}（${found.partner.code}）` };
}

/**
 * A complaint by number that this staff member may act on: a manager any, an agent their partners' or the
 * tickets handed to them. `strict`: only their partners' (what widens who sees a file: handing a ticket on,
 * reopening a closed one).
 */
async function complaintById(ctx: CommandContext, raw: string, opts: { strict?: boolean | ((c: ComplaintRow) => boolean) } = {}): Promise<ComplaintRow | string> {
  const m = /^#?(\d{1,9})$/.exec(normalizeText(raw));
  if (!m) throw new UsageError("请写上投诉编号，例如 /complaint show 3");
  const c = await ctx.db.complaint.findUnique({ where: { id: Number(m[1]) } });
  if (!c) return `没有编号为 #${m[1]} 的投诉，可以用 /complaint list 查看。`;
  const strict = typeof opts.strict === "function" ? opts.strict(c) : !!opts.strict;
  if (!strict && ctx.actor.kind === "staff" && c.ownerName === ctx.actor.name) return c;
  return (await notYours(ctx, c.partnerId)) ?? c;
}

async function openComplaint(ctx: CommandContext, raw: string, opts: { strict?: boolean } = {}): Promise<ComplaintRow | string> {
  const c = await complaintById(ctx, raw, opts);
  if (typeof c === "string" || c.status !== "CLOSED") return c;
  return `${ref(c)} 已结案。需要重新处理请用 /complaint reopen ${c.id} 原因`;
}

/** Where a partner hears about a complaint staff filed for them: their first bound group, else a contact's private chat. */
async function partnerChat(ctx: CommandContext, partnerId: number) {
  const group = await ctx.db.chat.findFirst({ where: { partnerId, kind: "group", internal: false }, orderBy: { id: "asc" } });
  if (group) return group;
  return ctx.db.chat.findFirst({ where: { kind: "direct", contactId: { in: (await ctx.db.contact.findMany({ where: { partnerId }, select: { id: true } })).map((c) => c.id) } }, orderBy: { id: "asc" } });
}
