// /questions: what partners asked that the bot handed to staff and nobody has answered yet.
import { ownPartnerIds } from "./file-access.ts";
import { text, type Command } from "./types.ts";

export const QUESTIONS_SHOWN = 20;

function age(from: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - from.getTime()) / 60_000);
  if (minutes < 1) return "刚刚";
  if (minutes < 60) return `${minutes} 分钟前`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} 小时前`;
  return `${Math.floor(minutes / 1440)} 天前`;
}

export const questionsCommand: Command = {
  name: "questions",
  aliases: ["问题", "待回答"],
  usage: "/questions",
  summary: "查看待回答的客户问题",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    // An agent sees their own partners' questions and those given to them.
    const ids = await ownPartnerIds(ctx);
    const mine = ids === null || ctx.actor.kind !== "staff" ? {} : { OR: [{ partnerId: { in: ids } }, { assigneeName: ctx.actor.name }] };
    const open = await ctx.db.question.findMany({ where: { status: "OPEN", ...mine }, orderBy: { askedAt: "asc" }, take: QUESTIONS_SHOWN + 1 });
    if (!open.length) return [text("没有待回答的问题。")];
    const partners = new Map(
      (await ctx.db.partner.findMany({ where: { id: { in: open.flatMap((q) => (q.partnerId ? [q.partnerId] : [])) } }, select: { id: true, name: true, code: true } })).map((p) => [p.id, p]),
    );
    const now = ctx.clock.now();
    const lines = open.slice(0, QUESTIONS_SHOWN).map((q) => {
      const p = q.partnerId ? partners.get(q.partnerId) : undefined;
      return `#${q.id} · ${age(q.askedAt, now)} · ${p ? `${p.name}（${p.code}）` : "未绑定客户"}：${q.text}${q.assigneeName ? `（负责人 ${q.assigneeName}）` : ""}`;
    });
    const more = open.length > QUESTIONS_SHOWN ? `\n……另有更多未列出（只显示最早的 ${QUESTIONS_SHOWN} 条）` : "";
    return [text(`待回答的问题（最早的在前）：\n${lines.join("\n")}${more}\n回答：/answer 编号 回答内容`)];
  },
};
