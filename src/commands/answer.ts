// /answer <编号> <回答> [--save]: a staff answer to a handed-off question, delivered in the partner's
// own chat (and thread), logged there, and with --save kept in the knowledge base for everyone.
import type { Platform } from "../../adapters/contract.ts";
import { PLATFORM_NAMES } from "../history/timeline.ts";
import { text, UsageError, type Command } from "./types.ts";

const SAVE = /(?:^|\s)(?:--save|存入知识库)(?=\s|$)/g;
const AGAIN = /(?:^|\s)(?:--again|补充)(?=\s|$)/g;
const excerpt = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);

export const answerCommand: Command = {
  name: "answer",
  aliases: ["回答", "答复"],
  usage: "/answer <问题编号> <回答> [--save] [--again]",
  summary: "回答转给员工的客户问题（--save 存入知识库，只用于对所有客户都适用的回答；--again 补充已回答过的问题）",
  staffOnly: true,
  async run(ctx) {
    if (ctx.actor.kind !== "staff") throw new Error("unreachable: staff only");
    const save = new RegExp(SAVE.source).test(ctx.args);
    const again = new RegExp(AGAIN.source).test(ctx.args);
    const m = /^#?(\d{1,9})\s+([\s\S]+)$/.exec(ctx.args.replace(SAVE, " ").replace(AGAIN, " ").trim());
    if (!m) throw new UsageError("请写上问题编号和回答，例如 /answer 12 返利已在4月18日发放");
    const id = Number(m[1]);
    const reply = m[2].trim();
    const q = await ctx.db.question.findUnique({ where: { id } });
    if (!q) return [text(`没有编号为 #${id} 的问题，可以用 /questions 查看待回答的问题。`)];
    if (q.status === "ANSWERED" && !again) {
      return [text(`问题 #${id} 已由 ${q.answeredBy} 回答过。如需补充，请加 --again 再发一次。`)];
    }
    // Claim it first, so two colleagues answering at once do not both reach the partner.
    const claim = await ctx.db.question.updateMany({
      where: { id, status: q.status },
      data: { status: "ANSWERED", answer: reply, answeredBy: ctx.actor.name, answeredAt: ctx.clock.now() },
    });
    if (claim.count !== 1) return [text(`问题 #${id} 刚刚已有同事回答，请用 /questions 查看。`)];
    const delivered = await ctx.send(q.platform as Platform, q.externalChatId, { type: "text", text: `关于您的问题「${excerpt(q.text)}」：\n${reply}` }, q.threadId ?? undefined);
    if (!delivered) {
      await ctx.db.question.update({ where: { id }, data: { status: q.status, answer: q.answer, answeredBy: q.answeredBy, answeredAt: q.answeredAt } });
      return [text(`#${id} 的回答没能发出（${PLATFORM_NAMES[q.platform] ?? q.platform}暂时不可用），问题保持原状，请稍后再试。`)];
    }
    // A saved answer follows its corrections; an unsaved one never becomes knowledge.
    const entryId = `staff-${q.id}`;
    const data = { question: q.text, answer: reply, source: "staff", tags: "[]", variants: "[]" };
    let saved = "";
    if (save) {
      await ctx.db.kbEntry.upsert({ where: { id: entryId }, create: { id: entryId, ...data }, update: data });
      saved = `，并已存入知识库（${entryId}）`;
    } else if ((await ctx.db.kbEntry.updateMany({ where: { id: entryId }, data: { answer: reply } })).count) {
      saved = `，知识库条目 ${entryId} 已同步更新`;
    }
    if (saved) ctx.kb.invalidate();
    return [text(`已回复问题 #${q.id}${again ? "（补充）" : ""}${saved}。`)];
  },
};
