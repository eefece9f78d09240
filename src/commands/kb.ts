// /kb add <问题> | <答案>, /kb search <词>, /kb show <编号>, /kb variant <编号> <问法>, /kb remove <编号>,
// /kb gaps [天数]: staff keep the knowledge base, and see where it is thin.
import { kbGaps } from "../answer/gaps.ts";
import { taughtText, teachPhrasing } from "../answer/kb-teach.ts";
import { excerpt } from "../text/excerpt.ts";
import { matchKey } from "../text/normalize.ts";
import { askConfirmation, confirmHint, type ConfirmAction } from "./confirmation.ts";
import { text, UsageError, type Command, type CommandContext } from "./types.ts";

const SOURCES: Record<string, string> = { faq: "常见问题", training: "培训资料", staff: "员工回答" };
/** /kb gaps looks back this many days unless told; at most GAPS_MAX_DAYS. */
const GAPS_DAYS = 7;
const GAPS_MAX_DAYS = 365;

export const kbCommand: Command = {
  name: "kb",
  aliases: ["知识库"],
  usage: "/kb add <问题>[；其他问法…] | <答案>  ·  /kb search <词>  ·  /kb show <编号>  ·  /kb variant <编号> <问法>  ·  /kb variant remove <编号> <问法或序号>  ·  /kb remove <编号>（需确认）  ·  /kb gaps [天数]",
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
        // Numbered across both lists, as /kb variant remove takes them.
        const numbered = (xs: string[], from: number) => xs.map((x, i) => `  ${from + i}. ${x}`);
        if (e.variants.length) lines.push(`其他问法（${e.variants.length}）：`, ...numbered(e.variants, 1));
        if (e.learned.length) lines.push(`客户的问法（${e.learned.length}，相近的问题直接回答）：`, ...numbered(e.learned, e.variants.length + 1));
        if (e.variants.length + e.learned.length) lines.push(`删掉一种问法：/kb variant remove ${e.id} 编号`);
        lines.push(`答案：${e.answer}`);
        if (e.tags.length) lines.push(`标签：${e.tags.join("、")}`);
        if (e.trainingUrl) lines.push(`培训资料：${e.trainingUrl}`);
        lines.push(`来源：${SOURCES[e.source] ?? e.source}`);
        return [text(lines.join("\n"))];
      }
      case "variant":
      case "问法": {
        if (/^(remove|删除|删)$/i.test(rest[0] ?? "")) return removeVariant(ctx, rest[1], rest.slice(2).join(" ").trim());
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
        const e = await ctx.kb.get(id);
        if (!e) return [text(`知识库里没有编号为 ${id} 的条目。`)];
        // What goes, and what partners will get instead, before it goes.
        await askConfirmation(ctx, kbRemoveAction, { id });
        return [text(`将删除知识库条目 ${id}「${e.question}」（答案：${excerpt(e.answer, 40).replace(/[。！？!?.]+$/u, "")}${e.variants.length + e.learned.length ? `；连同 ${e.variants.length + e.learned.length} 种问法` : ""}）。删除后客户再这样问，会收到相近条目的选项或转给同事。\n${confirmHint("删除", "保留")}`)];
      }
      default:
        throw new UsageError();
    }
  },
};

/** 确认 after /kb remove, in the same chat. */
export const kbRemoveAction: ConfirmAction<{ id: string }> = {
  action: "kb_remove",
  describe: (p) => `删除知识库条目 ${p.id}`,
  cancelled: (p) => `好的，保留知识库条目 ${p.id}。`,
  async confirm(ctx, p) {
    const removed = await ctx.db.kbEntry.deleteMany({ where: { id: p.id } });
    ctx.kb.invalidate();
    return { reply: removed.count ? `已删除知识库条目 ${p.id}。` : `知识库条目 ${p.id} 已经不在了。` };
  },
};

/**
 * Takes back a phrasing taught by mistake: by its number in /kb show (both lists numbered together) or by
 * its words (script, spacing and punctuation aside). No confirmation: it can be taught again at once.
 */
async function removeVariant(ctx: CommandContext, id: string | undefined, which: string) {
  if (!id || !which) throw new UsageError("例如 /kb variant remove kb-028 3（序号见 /kb show kb-028），或写上那种问法");
  const e = await ctx.kb.get(id);
  if (!e) return [text(`知识库里没有编号为 ${id} 的条目。`)];
  const all = [...e.variants.map((v) => ({ v, learned: false })), ...e.learned.map((v) => ({ v, learned: true }))];
  const n = /^\d{1,3}$/.test(which) ? Number(which) : null;
  const hit = n !== null ? all[n - 1] : all.find((x) => matchKey(x.v).replace(/[\p{P}\p{S}]/gu, "") === matchKey(which).replace(/[\p{P}\p{S}]/gu, ""));
  if (!hit) return [text(`${id} 没有${n !== null ? `第 ${n} 种` : `「${which}」这种`}问法，可以用 /kb show ${id} 查看（问法带序号）。`)];
  const variants = hit.learned ? e.variants : e.variants.filter((v) => v !== hit.v);
  const learned = hit.learned ? e.learned.filter((v) => v !== hit.v) : e.learned;
  await ctx.db.kbEntry.update({ where: { id }, data: { variants: JSON.stringify(variants), learned: JSON.stringify(learned) } });
  ctx.kb.invalidate();
  return [text(`已从 ${id} 删掉问法「${hit.v}」${hit.learned ? "（客户的问法：以后这样问不再直接回答）" : ""}。`)];
}
