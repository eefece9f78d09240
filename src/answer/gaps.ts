// /kb gaps: where the knowledge base is thin, as staff read it: the questions the bot did not answer itself
// (handed off, answered 都不是, or choices left unpicked), grouped by the entry staff finally answered with
// (or none: an entry to write), newest first. The morning digest's count is src/outreach/qa-digest.ts.
import type { Db } from "../db/client.ts";
import { formatDateTime } from "../lib/time-format.ts";
import { excerpt } from "../text/excerpt.ts";

/** How each question reached staff, as the list names it. */
const VIA: Record<string, string> = { HANDOFF: "没有相关条目", NONE_FIT: "客户选了都不是", TIMEOUT: "客户没有选" };
/** Groups and questions per group shown; the rest are counted. */
const GROUPS_SHOWN = 10;
const PER_GROUP = 5;

export async function kbGaps(db: Db, since: Date, days: number, timeZone: string): Promise<string> {
  const questions = await db.question.findMany({ where: { askedAt: { gte: since } }, orderBy: [{ askedAt: "desc" }, { id: "desc" }] });
  if (!questions.length) return `最近 ${days} 天没有转给同事的问题：知识库都答上了。`;
  const groups = new Map<string, typeof questions>();
  for (const q of questions) {
    const key = q.answerEntryId ?? "";
    groups.set(key, [...(groups.get(key) ?? []), q]);
  }
  const entries = await db.kbEntry.findMany({ where: { id: { in: [...groups.keys()].filter(Boolean) } }, select: { id: true, question: true } });
  const titleOf = (id: string) => (id ? `${id} ${entries.find((e) => e.id === id)?.question ?? "（条目已删除）"}` : "没有用条目回答（可考虑新增条目）");
  const lines = [`最近 ${days} 天机器人没有直接回答、转给同事的问题 ${questions.length} 个，按同事最终所用的条目分组，新的在前：`];
  // Groups come in the order of their newest question (questions are newest first already).
  for (const [id, qs] of [...groups].slice(0, GROUPS_SHOWN)) {
    const open = qs.filter((q) => q.status === "OPEN").length;
    lines.push(`【${titleOf(id)}】${qs.length} 个${open ? `，待回答 ${open} 个` : ""}`);
    for (const q of qs.slice(0, PER_GROUP)) {
      lines.push(`· #${q.id} ${formatDateTime(q.askedAt, timeZone).slice(5)} ${VIA[q.via] ?? q.via}：${excerpt(q.text, 40)}${q.status === "OPEN" ? "（待回答）" : ""}`);
    }
    if (qs.length > PER_GROUP) lines.push(`  ……另有 ${qs.length - PER_GROUP} 个`);
  }
  if (groups.size > GROUPS_SHOWN) lines.push(`……另有 ${groups.size - GROUPS_SHOWN} 组`);
  lines.push("用条目回答待回答的问题：/answer 编号 --kb 条目编号（这种问法会记到该条目下）");
  return lines.join("\n");
}
