// /answer <编号> <回答> [--save]: a staff answer to a handed-off question, delivered in the partner's
// own chat (and thread), logged there, and with --save kept in the knowledge base.
import { text, UsageError, type Command } from "./types.ts";

const SAVE = /(?:^|\s)(?:--save|存入知识库)(?=\s|$)/;
const excerpt = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);

export const answerCommand: Command = {
  name: "answer",
  aliases: ["回答", "答复"],
  usage: "/answer <问题编号> <回答> [--save]",
  summary: "回答转给员工的客户问题（--save 同时存入知识库）",
  staffOnly: true,
  async run(ctx) {
    const save = SAVE.test(ctx.args);
    const m = /^#?(\d+)\s+([\s\S]+)$/.exec(ctx.args.replace(SAVE, " ").trim());
    if (!m) throw new UsageError("请写上问题编号和回答，例如 /answer 12 返利已在4月18日发放");
    const [, id, reply] = m;
    const q = await ctx.db.question.findUnique({ where: { id: Number(id) } });
    if (!q) return [text(`没有编号为 #${id} 的问题，可以用 /questions 查看待回答的问题。`)];
    if (ctx.actor.kind !== "staff") throw new Error("unreachable: staff only");
    const delivered = await ctx.send(q.platform as never, q.externalChatId, { type: "text", text: `关于您的问题「${excerpt(q.text)}」：\n${reply.trim()}` }, q.threadId ?? undefined);
    if (!delivered) return [text(`#${id} 的回答没能发出（${q.platform} 暂时不可用），问题仍保持待回答，请稍后再试。`)];
    const again = q.status === "ANSWERED" ? `（此前已由 ${q.answeredBy} 回答过）` : "";
    await ctx.db.question.update({ where: { id: q.id }, data: { status: "ANSWERED", answer: reply.trim(), answeredBy: ctx.actor.name, answeredAt: ctx.clock.now() } });
    let saved = "";
    if (save) {
      const entryId = `staff-${q.id}`;
      const data = { question: q.text, answer: reply.trim(), source: "staff", tags: "[]", variants: "[]" };
      await ctx.db.kbEntry.upsert({ where: { id: entryId }, create: { id: entryId, ...data }, update: data });
      saved = `，并已存入知识库（${entryId}）`;
    }
    return [text(`已回复问题 #${q.id}${again}${saved}。`)];
  },
};
