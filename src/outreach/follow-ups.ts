// Follow-ups (回访) staff owe partners, as staff read them: one line each, and the morning digest of those
// due today or overdue, posted to the staff chats by the day's planning.
import type { Db } from "../db/client.ts";
import { formatDateTime } from "../lib/time-format.ts";

export const FOLLOW_UP_KINDS: Record<string, string> = { MEDIATION: "调解回访", GIFT: "节日礼品", VISIT: "回访" };

/** How a visit was chosen (seed 000 第19条), by the words staff type for the four methods. */
export const METHODS = { 随机: "RANDOM", 满意度低: "LOW_SATISFACTION", 有待办: "PENDING", 久未联系: "SILENT" } as const;
export type Method = (typeof METHODS)[keyof typeof METHODS] | "NEW_PARTNER";
export const FORMS = { PROMOTION: "宣传回访", CARE: "情感回访", MEDIATION: "调解回访", ADVICE: "建议回访", GUIDANCE: "指导回访" } as const;
export type Form = keyof typeof FORMS;
/** The form a method's visits take unless staff choose another. */
export const DEFAULT_FORM: Record<Method, Form> = { RANDOM: "PROMOTION", LOW_SATISFACTION: "MEDIATION", PENDING: "ADVICE", SILENT: "CARE", NEW_PARTNER: "GUIDANCE" };

type FollowUpRow = { id: number; kind: string; form?: string | null; partnerId: number; assigneeName: string | null; dueAt: Date | null; reason: string };

/** "#3 回访 · 上海申达… · 周敏 · 2026-11-25 前：了解 X2 铺货情况" */
export async function followUpLines(db: Db, rows: FollowUpRow[], timeZone: string): Promise<string[]> {
  const names = new Map((await db.partner.findMany({ where: { id: { in: rows.map((f) => f.partnerId) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  return rows.map(
    (f) => `#${f.id} ${(f.form && FORMS[f.form as Form]) ?? FOLLOW_UP_KINDS[f.kind] ?? f.kind} · ${names.get(f.partnerId) ?? ""} · ${f.assigneeName ?? "未指定负责人"}${f.dueAt ? ` · ${formatDateTime(f.dueAt, timeZone).slice(0, 10)} 前` : ""}：${f.reason}`,
  );
}

const SHOWN = 20;

/** The open follow-ups due by the end of `dayEnd`, as one staff message; null when there are none. */
export async function dueDigest(db: Db, dayEnd: Date, timeZone: string): Promise<string | null> {
  const due = await db.followUp.findMany({ where: { status: "OPEN", dueAt: { lt: dayEnd } }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: SHOWN + 1 });
  if (!due.length) return null;
  const lines = await followUpLines(db, due.slice(0, SHOWN), timeZone);
  const more = due.length > SHOWN ? `\n……只列出最早的 ${SHOWN} 条，全部：/followup` : "";
  return `【今日回访】今天到期或已逾期的回访 ${due.length > SHOWN ? `${SHOWN}+` : due.length} 条：\n${lines.join("\n")}${more}\n完成后：/followup done 编号 结果`;
}
