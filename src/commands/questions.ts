// /questions: what partners asked that the bot handed to staff and nobody has answered yet.
import { notYours, ownPartnerIds } from "./file-access.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";

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
  usage: "/questions  ·  /questions close <编号> <原因>（不回复客户，直接关闭：垃圾信息、已电话答复、重复提问）",
  summary: "查看待回答的客户问题；不需要回答的可以关闭",
  staffOnly: true,
  confidential: true,
  async run(ctx) {
    const [verb = "", id = "", ...why] = ctx.args.split(/\s+/);
    if (/^(close|关闭)$/i.test(verb)) return closeQuestion(ctx, id, why.join(" ").trim());
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

/**
 * Closes a handed-off question without answering the partner (spam, answered by phone, a duplicate): it
 * leaves /questions and escalation, and the partner's history says who closed it and why.
 */
async function closeQuestion(ctx: CommandContext, raw: string, why: string) {
  const m = /^#?(\d{1,9})$/.exec(raw);
  if (!m || !why) throw new UsageError("例如 /questions close 12 已电话答复（原因必填：垃圾信息、已电话答复、重复提问……）");
  if (ctx.actor.kind !== "staff") throw new Error("unreachable: staff only");
  const q = await ctx.db.question.findUnique({ where: { id: Number(m[1]) } });
  if (!q) return [text(`没有编号为 #${m[1]} 的问题。`)];
  const refused = q.assigneeName === ctx.actor.name ? null : await notYours(ctx, q.partnerId);
  if (refused) return [text(refused)];
  if (q.status !== "OPEN") return [text(`问题 #${q.id} 已经${q.status === "CLOSED" ? `由 ${q.answeredBy} 关闭` : `由 ${q.answeredBy} 回答`}了。`)];
  const now = ctx.clock.now();
  const { count } = await ctx.db.question.updateMany({ where: { id: q.id, status: "OPEN" }, data: { status: "CLOSED", answer: why, answeredBy: ctx.actor.name, answeredAt: now } });
  if (!count) return [text(`问题 #${q.id} 刚被同事处理了。`)];
  await ctx.log.record({
    platform: ctx.platform, direction: "OUT", kind: "question_closed", partnerId: q.partnerId, contactId: q.contactId, staffId: ctx.actor.staffId, createdAt: now,
    text: `【问题 #${q.id} 已关闭，未回复客户】「${q.text}」原因：${why}`, meta: { questionId: q.id },
  });
  return [text(`已关闭问题 #${q.id}（没有回复客户），原因记入客户的互动记录：${why}`)];
}
