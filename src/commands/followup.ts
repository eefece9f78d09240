// /followup: 回访 — the follow-ups staff owe partners: mediations after a low satisfaction score, gift
// visits before festivals, visits staff plan themselves. Closing one writes its result into the
// partner's history, where the next colleague will look.
//   /followup [list] [客户]            open ones, oldest first
//   /followup plan <方法> [范围] [数量]  visits chosen by method, planned on 确认 (followup-plan.ts)
//   /followup due                       what is due or overdue for the caller
//   /followup add <客户> <日期> <事由>   plan a visit (回访), assigned to the partner's owner
//   /followup done <编号> <结果>         close it with what came of it
import { formatDateTime } from "../lib/time-format.ts";
import { parseTrainingDay } from "../service/training-followup.ts";
import { instantAt, localDayOf } from "../outreach/calendar.ts";
import { FOLLOW_UP_KINDS, followUpLines } from "../outreach/follow-ups.ts";
import { notYours, ownPartnerIds } from "./file-access.ts";
import { partnerArg } from "./partner-arg.ts";
import { dueVisits, planVisits } from "./followup-plan.ts";
import { text, UsageError, type Command } from "./types.ts";

const SHOWN = 20;

export const followupCommand: Command = {
  name: "followup",
  aliases: ["回访"],
  usage: "/followup [客户]  ·  /followup plan <随机|满意度低|有待办|久未联系> [城市/等级] [数量] [形式]  ·  /followup due  ·  /followup add <客户编号> <日期> <事由>  ·  /followup done <编号> <结果>",
  summary: "回访：查看、安排、记录结果（调解回访、节日礼品、上门回访）",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    const [verb = "", ...words] = ctx.args.split(/\s+/).filter(Boolean);
    const tz = ctx.timeZone;
    if (["plan", "计划"].includes(verb)) return planVisits(ctx, words);
    if (["due", "到期"].includes(verb)) return dueVisits(ctx);
    if (["add", "安排"].includes(verb)) {
      if (words.length < 3) throw new UsageError("例如 /followup add HZ001 2026-11-25 了解新品铺货情况");
      // The day as meant now: a pick list answered after midnight still means the 明天 it was asked for.
      const picked = parseTrainingDay(words[1], ctx.clock.now(), tz);
      if (!picked) throw new UsageError("请写上回访日期，例如 2026-11-25、11月25日 或 明天");
      const date = localDayOf(picked, "UTC");
      const written = `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
      const found = await partnerArg(ctx, words[0], (code) => `/followup add ${code} ${written} ${words.slice(2).join(" ")}`);
      if (found.answer) return found.answer;
      const { partner } = found;
      const refused = await notYours(ctx, partner.id);
      if (refused) return [text(refused)];
      const day = instantAt(date, "00:00", tz);
      const reason = words.slice(2).join(" ");
      // The same visit asked for twice (by name, then by phone): planned once.
      const same = await ctx.db.followUp.findFirst({ where: { partnerId: partner.id, status: "OPEN", dueAt: day, reason }, select: { id: true } });
      if (same) return [text(`${partner.name} 在 ${formatDateTime(day, tz).slice(0, 10)} 已有同样的回访 #${same.id}「${reason}」，没有重复安排。`)];
      const owner = (await ctx.db.partner.findUnique({ where: { id: partner.id }, select: { ownerName: true } }))?.ownerName ?? null;
      const f = await ctx.db.followUp.create({
        data: { partnerId: partner.id, kind: "VISIT", reason, assigneeName: owner ?? (ctx.actor.kind === "staff" ? ctx.actor.name : null), dueAt: day, createdAt: ctx.clock.now() },
      });
      return [text(`已安排回访 #${f.id}：${partner.name}，${formatDateTime(day, tz).slice(0, 10)}，负责人 ${f.assigneeName ?? "未指定"}。完成后：/followup done ${f.id} 结果`)];
    }
    if (["done", "完成"].includes(verb)) {
      const id = Number((words[0] ?? "").replace(/^#/, ""));
      const result = words.slice(1).join(" ");
      if (!Number.isInteger(id) || id <= 0 || !result) throw new UsageError("例如 /followup done 3 已电话沟通，补发滤网，客户满意");
      const f = await ctx.db.followUp.findUnique({ where: { id } });
      if (!f) return [text(`没有编号为 ${id} 的回访。`)];
      const refused = await notYours(ctx, f.partnerId);
      if (refused) return [text(refused)];
      if (f.status === "DONE") return [text(`回访 #${id} 已经完成了。`)];
      const now = ctx.clock.now();
      const { count } = await ctx.db.followUp.updateMany({ where: { id, status: "OPEN" }, data: { status: "DONE", doneAt: now } });
      if (!count) return [text(`回访 #${id} 刚被同事记录完成了。`)];
      // The result belongs in the partner's timeline, next to what led to it.
      await ctx.log.record({
        platform: ctx.platform, direction: "OUT", kind: "followup", partnerId: f.partnerId, contactId: f.contactId,
        staffId: ctx.actor.kind === "staff" ? ctx.actor.staffId : null, createdAt: now,
        text: `【${FOLLOW_UP_KINDS[f.kind] ?? "回访"}】${f.reason} → ${result}`, meta: { followUpId: f.id },
      });
      // A complaint handled (调解回访 closed): ask the partner whether they are satisfied with how it went.
      if (f.kind === "MEDIATION") {
        const poll = await ctx.outreach.pollAfterComplaint(f.partnerId, `followup:${f.id}`);
        ctx.kick();
        if (poll.planned) return [text(`已记录回访 #${id} 的结果，并写入客户的互动记录。已请客户对这次处理结果打分（满意度调查 #${poll.campaign.id}）。`)];
      }
      return [text(`已记录回访 #${id} 的结果，并写入客户的互动记录。`)];
    }
    const keyword = ["list", "列表"].includes(verb) ? words.join(" ") : [verb, ...words].join(" ");
    const found = keyword ? await partnerArg(ctx, keyword, (code) => `/followup ${code}`) : null;
    if (found?.answer) return found.answer;
    const partner = found?.partner ?? null;
    const refused = partner ? await notYours(ctx, partner.id) : null;
    if (refused) return [text(refused)];
    const ids = await ownPartnerIds(ctx);
    const open = await ctx.db.followUp.findMany({
      where: { status: "OPEN", ...(partner ? { partnerId: partner.id } : ids ? { partnerId: { in: ids } } : {}) },
      orderBy: [{ createdAt: "asc" }],
      take: SHOWN + 1,
    });
    if (!open.length) return [text(partner ? `${partner.name} 没有待办的回访。` : "没有待办的回访。")];
    const lines = await followUpLines(ctx.db, open.slice(0, SHOWN), tz);
    const more = open.length > SHOWN ? `\n……只显示最早的 ${SHOWN} 条` : "";
    return [text(`待办回访：\n${lines.join("\n")}${more}\n完成后：/followup done 编号 结果`)];
  },
};
