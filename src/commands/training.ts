// /training add <标题> <日期> [客户...]: record a session and who attended; /training list.
import { formatDateTime } from "../lib/time-format.ts";
import { partnerArg } from "./partner-arg.ts";
import { parseTrainingDay } from "../service/training-followup.ts";
import { text, UsageError, type Command } from "./types.ts";

export const trainingCommand: Command = {
  name: "training",
  aliases: ["培训"],
  usage: "/training add <标题> <日期> [客户...]  ·  /training list",
  summary: "登记培训和参加的客户，次日邀请他们提问",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    const [verb = "", ...words] = ctx.args.split(/\s+/).filter(Boolean);
    if (["list", "列表"].includes(verb)) {
      const rows = await ctx.db.training.findMany({ orderBy: { day: "desc" }, take: 10, include: { _count: { select: { attendees: true } } } });
      if (!rows.length) return [text("还没有登记培训。")];
      return [text(rows.map((t) => `#${t.id} ${t.day.toISOString().slice(0, 10)}「${t.title}」讲师 ${t.trainerName}，${t._count.attendees} 个客户`).join("\n"))];
    }
    if (!["add", "添加"].includes(verb) || words.length < 2) throw new UsageError("例如 /training add 门锁安装培训 2026-11-25 HZ001 SH002");
    if (ctx.actor.kind !== "staff") throw new Error("unreachable: staff only");
    const now = ctx.clock.now();
    const dateAt = words.findIndex((w) => parseTrainingDay(w, now, ctx.timeZone));
    if (dateAt < 1) throw new UsageError("请在标题后写上培训日期，例如 2026-11-25、11月25日 或 今天");
    const title = words.slice(0, dateAt).join(" ");
    const day = parseTrainingDay(words[dateAt], now, ctx.timeZone)!;
    const partnerIds: number[] = [];
    // Each attendee found as /client finds it; several matches are a pick list whose number runs this
    // again with that code in the keyword's place (and the day as meant now, not as 明天 then).
    const keywords = words.slice(dateAt + 1);
    for (const [at, keyword] of keywords.entries()) {
      const rerun = (code: string) => `/training ${verb} ${title} ${day.toISOString().slice(0, 10)} ${keywords.map((k, i) => (i === at ? code : k)).join(" ")}`;
      const found = await partnerArg(ctx, keyword, rerun);
      if (found.answer) return found.answer;
      partnerIds.push(found.partner.id);
    }
    const attendees = [...new Set(partnerIds)];
    const t = await ctx.db.training.create({
      data: { title, day, trainerName: ctx.actor.name, attendees: { create: attendees.map((partnerId) => ({ partnerId })) } },
    });
    ctx.forget();
    const when = formatDateTime(new Date(day.getTime() + 86_400_000), "UTC").slice(0, 10);
    return [text(`已登记培训 #${t.id}「${title}」（${day.toISOString().slice(0, 10)}），${attendees.length} 个客户参加。${when} 会在他们的群里邀请提问，当天和次日的问题都会记在这次培训下。`)];
  },
};
