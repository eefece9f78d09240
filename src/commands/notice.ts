// /notice: announcements and new-product notices to partners' groups (seed 000 第10条, 第20条).
//   /notice preview <筛选>                     how many partners and groups it reaches
//   /notice send <筛选> [时间] ｜ <标题：>正文    a draft, with its audience count
//   /notice confirm <编号>                       managers send it (through the outbox, rate-limited)
//   /notice report <编号>  ·  /notice list
import { UserError } from "../lib/errors.ts";
import { parseAudience } from "../outreach/audience.ts";
import { parseSendAt } from "../outreach/report.ts";
import { noticeText } from "../outreach/service.ts";
import { findFilterPartners } from "./partner-filter.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";

const SEND_AT = /(\d{4}-\d{1,2}-\d{1,2}[T\s]\d{1,2}:\d{2})/;

/** Broadcasting to partners is a manager's call; anyone on staff may draft and preview. */
export function requireManager(ctx: CommandContext, what: string): void {
  if (ctx.actor.kind !== "staff" || !["MANAGER", "ADMIN"].includes(ctx.actor.role)) {
    throw new UserError(`${what}需要经理或管理员确认。请把编号发给经理。`);
  }
}

export function campaignId(arg: string | undefined): number {
  const id = Number((arg ?? "").replace(/^#/, ""));
  if (!Number.isInteger(id) || id <= 0) throw new UsageError("请写上编号，例如 12");
  return id;
}

/** "等级=战略 2026-11-25 10:00 ｜ 标题：正文" -> filter, send time, title, text. */
export function splitDraft(args: string, timeZone: string) {
  const bar = args.search(/[|｜]/);
  if (bar < 0) throw new UsageError("筛选条件和正文之间用 ｜ 隔开");
  let filter = args.slice(0, bar).trim();
  const body = args.slice(bar + 1).trim();
  const when = SEND_AT.exec(filter);
  const sendAt = when ? parseSendAt(when[1], timeZone) : undefined;
  if (when) filter = filter.replace(when[1], " ").trim();
  // A title only where the sender marked one: "# 新品上市" as the first line, or "标题：新品上市" (up to the
  // line's end, or a space). A colon elsewhere ("注意：……", "12月1日 10:00起") is the text's own.
  const marked = /^#\s*(\S[^\n]*)\n+([\s\S]+)$/.exec(body) ?? /^标题\s*[:：]\s*(\S[^\n]*?)(?:\n+|\s+)([\s\S]+)$/.exec(body);
  if (marked) return { audience: parseAudience(filter), sendAt, title: marked[1].trim(), text: marked[2].trim() };
  // Unmarked: listed by its first words; partners get the text exactly (noticeText adds no title line).
  return { audience: parseAudience(filter), sendAt, title: body.slice(0, 20), text: body };
}

export const noticeCommand: Command = {
  name: "notice",
  aliases: ["通知"],
  usage: "/notice preview <筛选，如 等级=战略 城市=杭州 客户=HZ001,上海申达>  ·  /notice send <筛选> [2026-11-25 10:00] ｜ [# 标题 换行 或 标题：标题 ]正文  ·  /notice confirm <编号>  ·  /notice report <编号>  ·  /notice list",
  summary: "给客户群发通知、新品信息（先预览人数，经理确认后发送）",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    const [verb = "", ...rest] = ctx.args.split(/\s+/);
    const args = ctx.args.slice(verb.length).trim();
    const o = ctx.outreach;
    switch (verb) {
      case "preview":
      case "预览": {
        const found = await findFilterPartners(ctx, parseAudience(args), `/notice ${ctx.args}`);
        if (found.answer) return found.answer;
        const p = await o.preview(found.audience);
        return [text(`${p.description}：${p.partners} 家客户，可送达 ${p.chats.length} 个群${p.unreachable ? `；${p.unreachable} 家没有绑定客户群，收不到` : ""}。`)];
      }
      case "send":
      case "发送": {
        const draft = splitDraft(args, ctx.timeZone);
        const found = await findFilterPartners(ctx, draft.audience, `/notice ${ctx.args}`);
        if (found.answer) return found.answer;
        const d = { ...draft, audience: found.audience };
        const { campaign } = await o.draft("notice", { ...d, createdBy: ctx.actor.kind === "staff" ? ctx.actor.name : undefined });
        const p = await o.preview(d.audience);
        const when = d.sendAt ? `发送时间 ${o.formatWhen(d.sendAt)}` : "确认后立即发送";
        const summary = `通知草稿 #${campaign.id}「${d.title}」：${p.description}，${p.partners} 家客户的 ${p.chats.length} 个群${p.unreachable ? `（${p.unreachable} 家没有绑定客户群）` : ""}，${when}。\n客户将看到：\n${noticeText(campaign.title, campaign.text)}`;
        // An agent cannot send it: the managers who may are told, privately, that it waits for them.
        if (ctx.actor.kind === "staff" && ctx.actor.role === "AGENT") {
          const managers = await ctx.db.staff.findMany({ where: { role: { in: ["MANAGER", "ADMIN"] } }, select: { name: true } });
          for (const m of managers) await o.notifyPerson(m.name, `notice-draft:${campaign.id}`, `【待确认通知】${ctx.actor.name}起草了${summary}\n确认发送：/notice confirm ${campaign.id}`);
          ctx.kick();
          return [text(`${summary}\n发送需要经理确认，已通知${managers.length ? managers.map((m) => m.name).join("、") : "（没有登记的经理）"}。`)];
        }
        return [text(`${summary}\n确认请发送 /notice confirm ${campaign.id}`)];
      }
      case "confirm":
      case "确认": {
        requireManager(ctx, "发送通知");
        const id = campaignId(rest[0]);
        const r = await o.confirm(id);
        ctx.kick();
        if (r.confirmedBefore && !r.planned) return [text(`通知 #${id} 之前已经确认发送过了，没有重复发送。\n${await o.reportText(id)}`)];
        const held = o.heldNote(r.held);
        return [text(`通知 #${id} 已加入发件箱：${r.planned} 条（共 ${r.audience.chats.length} 个群），按各平台限速发送${held ? `；${held}` : ""}。进度：/notice report ${id}`)];
      }
      case "report":
      case "进度":
        return [text(await o.reportText(campaignId(rest[0])))];
      case "list":
      case "列表": {
        const rows = await ctx.db.campaign.findMany({ orderBy: { id: "desc" }, take: 10 });
        if (!rows.length) return [text("还没有通知或满意度调查。")];
        const planned = new Set((await ctx.db.delivery.findMany({ where: { campaignId: { in: rows.map((c) => c.id) } }, select: { campaignId: true }, distinct: ["campaignId"] })).map((d) => d.campaignId));
        return [text(rows.map((c) => `#${c.id} ${c.kind === "poll" ? "调查" : "通知"}「${c.title}」${planned.has(c.id) ? `已确认，${o.formatWhen(c.sendAt)} 起发送` : "草稿，待确认"}`).join("\n"))];
      }
      default:
        throw new UsageError();
    }
  },
};
