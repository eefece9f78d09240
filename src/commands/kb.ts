// /kb add <问题> | <答案>, /kb search <词>, /kb show <编号>, /kb variant <编号> <问法>, /kb remove <编号>,
// /kb gaps [天数]: staff keep the knowledge base, and see where it is thin.
import { kbGaps } from "../answer/gaps.ts";
import { taughtText, teachPhrasing } from "../answer/kb-teach.ts";
import { text, UsageError, type Command } from "./types.ts";

const SOURCES: Record<string, string> = { faq: "常见问题", training: "培训资料", staff: "员工回答" };
/** /kb gaps looks back this many days unless told; at most GAPS_MAX_DAYS. */
const GAPS_DAYS = 7;
const GAPS_MAX_DAYS = 365;

export const kbCommand: Command = {
  name: "kb",
  aliases: ["知识库"],
  usage: "/kb add <问题>[；其他问法…] | <答案>  ·  /kb search <词>  ·  /kb show <编号>  ·  /kb variant <编号> <问法>  ·  /kb remove <编号>  ·  /kb gaps [天数]",
  summary: "维护知识库",
  staffOnly: true,
  // Learned wordings and /kb gaps quote partners' questions: not in another partner's group.
  confidential: true,
  async run(ctx) {
    const [verb = "", ...rest] = ctx.args.split(/\s+/);
    const arg = ctx.args.slice(verb.length).trim();
    switch (verb.toLowerCase()) {
      case "add":
      case "添加": {
        const bar = arg.search(/[|｜]/);
        const [question, answer] = bar < 0 ? [arg, ""] : [arg.slice(0, bar).trim(), arg.slice(bar + 1).trim()];
        if (!question || !answer) throw new UsageError("用竖线分开问题和答案，例如 /kb add 周日有人值班吗 | 周日有客服在线，9:00-18:00");
        const taken = await ctx.db.kbEntry.findMany({ where: { id: { startsWith: "kb-staff-" } }, select: { id: true } });
        const next = Math.max(0, ...taken.map((e) => Number(e.id.slice("kb-staff-".length)) || 0)) + 1;
        const id = `kb-staff-${next}`;
        // "周日有人值班吗；周末上班吗 | …": other ways partners ask the same thing help them be found.
        const [main, ...variants] = question.split(/\s*[；;]\s*/).filter(Boolean);
        await ctx.db.kbEntry.create({ data: { id, question: main, variants: JSON.stringify(variants), answer, source: "staff" } });
        ctx.kb.invalidate();
        return [text(`已添加知识库条目 ${id}：${main}${variants.length ? `（另有 ${variants.length} 种问法）` : ""}`)];
      }
      case "search":
      case "搜索": {
        if (!arg) throw new UsageError("请写上要搜的词，例如 /kb search 返利");
        const hits = await ctx.kb.search(arg, 5);
        if (!hits.length) return [text(`知识库里没有与「${arg}」相关的条目。`)];
        return [text(`与「${arg}」最相关的条目（越靠前越相关）：\n${hits.map((h, i) => `${i + 1}. ${h.id} ${h.entry.question}`).join("\n")}`)];
      }
      case "show":
      case "查看": {
        const id = rest[0];
        if (!id) throw new UsageError("请写上条目编号，例如 /kb show kb-012");
        const e = await ctx.kb.get(id);
        if (!e) return [text(`知识库里没有编号为 ${id} 的条目。`)];
        const lines = [`${e.id}：${e.question}`];
        if (e.variants.length) lines.push(`其他问法（${e.variants.length}）：${e.variants.join("；")}`);
        if (e.learned.length) lines.push(`客户的问法（${e.learned.length}，相近的问题直接回答）：${e.learned.join("；")}`);
        lines.push(`答案：${e.answer}`);
        if (e.tags.length) lines.push(`标签：${e.tags.join("、")}`);
        if (e.trainingUrl) lines.push(`培训资料：${e.trainingUrl}`);
        lines.push(`来源：${SOURCES[e.source] ?? e.source}`);
        return [text(lines.join("\n"))];
      }
      case "variant":
      case "问法": {
        const [id, ...words] = rest;
        const phrasing = words.join(" ").trim();
        if (!id || !phrasing) throw new UsageError("请写上条目编号和客户的问法，例如 /kb variant kb-080 你们周日上班吗");
        const r = await teachPhrasing(ctx.db, id, phrasing);
        if (r.kind === "added") ctx.kb.invalidate();
        return [text(`${taughtText(id, r)}。`)];
      }
      case "gaps":
      case "缺口": {
        const days = rest[0] === undefined ? GAPS_DAYS : Number(rest[0].replace(/天$/, ""));
        if (!Number.isInteger(days) || days < 1 || days > GAPS_MAX_DAYS) throw new UsageError(`天数写 1 到 ${GAPS_MAX_DAYS} 的整数，例如 /kb gaps 30`);
        const since = new Date(ctx.clock.now().getTime() - days * 86_400_000);
        return [text(await kbGaps(ctx.db, since, days, ctx.timeZone))];
      }
      case "remove":
      case "删除": {
        const id = rest[0];
        if (!id) throw new UsageError("请写上条目编号，例如 /kb remove kb-012");
        const removed = await ctx.db.kbEntry.deleteMany({ where: { id } });
        ctx.kb.invalidate();
        return [text(removed.count ? `已删除知识库条目 ${id}。` : `知识库里没有编号为 ${id} 的条目。`)];
      }
      default:
        throw new UsageError();
    }
  },
};
