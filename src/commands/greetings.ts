// /greetings preview <日期>: who would be greeted on a day, for what, where, and with which words.
import { UserError } from "../lib/errors.ts";
import { parseLocalDay } from "../outreach/calendar.ts";
import { formatDayPlan } from "../outreach/service.ts";
import { OCCASION_NAMES, type Occasion } from "../outreach/templates.ts";
import { text, UsageError, type Command } from "./types.ts";

const SHOWN = 20;

export const greetingsCommand: Command = {
  name: "greetings",
  aliases: ["祝福"],
  usage: "/greetings preview <日期，如 2027-02-06>",
  summary: "预览某一天的节日、生日、周年祝福",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    const [verb, date] = ctx.args.split(/\s+/);
    if (!["preview", "预览"].includes(verb ?? "") || !date) throw new UsageError();
    let day;
    try {
      day = parseLocalDay(date);
    } catch {
      throw new UserError(`无法识别日期「${date}」，请写成 2027-02-06。`);
    }
    const plan = await ctx.outreach.planDay(day, { dryRun: true });
    const greetings = plan.deliveries.filter((d) => d.kind === "greeting");
    const lines = [formatDayPlan(plan)];
    if (greetings.length) {
      const names = new Map((await ctx.db.partner.findMany({ where: { id: { in: [...new Set(greetings.slice(0, SHOWN).map((d) => d.partnerId!))] } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
      const direct = new Set((await ctx.db.chat.findMany({ where: { id: { in: greetings.slice(0, SHOWN).map((d) => d.chatId!) }, kind: "direct" }, select: { id: true } })).map((c) => c.id));
      lines.push("", "示例：");
      for (const d of greetings.slice(0, SHOWN)) {
        const where = direct.has(d.chatId!) ? "私聊" : "客户群";
        lines.push(`· ${OCCASION_NAMES[d.occasion as Occasion]} → ${names.get(d.partnerId!) ?? ""}（${d.platform} ${where}）：${d.message.type === "text" ? d.message.text : ""}`);
      }
      if (greetings.length > SHOWN) lines.push(`……共 ${greetings.length} 条`);
    }
    return [text(lines.join("\n"))];
  },
};
