// /followup plan <方法> [城市/区域/等级/客户编号] [数量] [形式]: visits chosen by one of the four methods (seed
// 000 第19条), each with the reason it was chosen, planned on 确认 in the method's form (第20条) unless
// another is named; /followup due: what is due or overdue for the caller.
import { formatDateTime } from "../lib/time-format.ts";
import { instantAt, localDayOf, addDays, formatLocalDay } from "../outreach/calendar.ts";
import { followUpLines } from "../outreach/follow-ups.ts";
import { choosePartners, DEFAULT_FORM, FORMS, METHODS, type Form, type Method } from "../service/visit-plans.ts";
import { askConfirmation, confirmHint, type ConfirmAction } from "./confirmation.ts";
import { ownPartners } from "./file-access.ts";
import { text, UsageError, type CommandContext } from "./types.ts";

/** Visits planned from a method are due within this many days. */
const PLAN_DUE_DAYS = 7;
const DEFAULT_COUNT = 5;
const MAX_COUNT = 50;
const FORM_BY_WORD = Object.fromEntries(Object.entries(FORMS).flatMap(([k, v]) => [[v, k], [v.replace("回访", ""), k]])) as Record<string, Form>;

interface VisitPlan {
  method: Method;
  form: Form;
  partners: { id: number; name: string; why: string }[];
}

export async function planVisits(ctx: CommandContext, words: string[]) {
  const [methodWord, ...rest] = words;
  const method = METHODS[methodWord as keyof typeof METHODS];
  if (!method) throw new UsageError(`请写回访方法：${Object.keys(METHODS).join("、")}，例如 /followup plan 随机 杭州 3`);
  let count = DEFAULT_COUNT;
  let form: Form = DEFAULT_FORM[method];
  const filters: string[] = [];
  for (const w of rest) {
    if (/^\d+$/.test(w)) count = Math.min(MAX_COUNT, Math.max(1, Number(w)));
    else if (FORM_BY_WORD[w]) form = FORM_BY_WORD[w];
    else filters.push(w);
  }
  const filter = filters.join(" ") || null;
  // An agent plans visits to their own partners only.
  const chosen = await choosePartners(ctx.db, method, filter, count, ctx.clock.now(), ctx.timeZone, Math.random, ownPartners(ctx));
  if (!chosen.length) return [text(`按「${methodWord}」${filter ? `（${filter}）` : ""}没有需要安排回访的客户（已有待办回访的客户不重复安排）。`)];
  const plan: VisitPlan = { method, form, partners: chosen.map((c) => ({ id: c.partnerId, name: `${c.name}（${c.code}）`, why: c.why })) };
  await askConfirmation(ctx, visitPlanAction, plan);
  const lines = plan.partners.map((p, i) => `${i + 1}. ${p.name}：${p.why}`);
  return [text(`按「${methodWord}」选出 ${chosen.length} 个客户，安排${FORMS[form]}，${PLAN_DUE_DAYS} 天内完成，负责人为各客户的负责人：\n${lines.join("\n")}\n${confirmHint("安排这些回访", "不安排")}`)];
}

export const visitPlanAction: ConfirmAction<VisitPlan> = {
  action: "visit_plan",
  describe: (p) => `安排 ${p.partners.length} 个${FORMS[p.form]}`,
  cancelled: () => "已取消，没有安排回访。",
  async confirm(ctx, plan) {
    const now = ctx.clock.now();
    const today = localDayOf(now, ctx.timeZone);
    const due = instantAt(addDays(today, PLAN_DUE_DAYS), "00:00", ctx.timeZone);
    const planner = ctx.actor.kind === "staff" ? ctx.actor.name : null;
    const made: number[] = [];
    for (const p of plan.partners) {
      const partner = await ctx.db.partner.findUnique({ where: { id: p.id }, select: { ownerName: true } });
      if (!partner) continue;
      // One visit per partner, method and day: 确认 delivered twice plans nothing twice.
      const dedupeKey = `visit:${plan.method}:${p.id}:${formatLocalDay(today)}`;
      if (await ctx.db.followUp.findUnique({ where: { dedupeKey }, select: { id: true } })) continue;
      const f = await ctx.db.followUp.create({
        data: { partnerId: p.id, kind: "VISIT", form: plan.form, method: plan.method, reason: `${FORMS[plan.form]}：${p.why}`, assigneeName: partner.ownerName ?? planner, dueAt: due, dedupeKey, createdAt: now },
      });
      made.push(f.id);
    }
    const rows = await ctx.db.followUp.findMany({ where: { id: { in: made } }, orderBy: { id: "asc" } });
    return { reply: `已安排 ${made.length} 个回访：\n${(await followUpLines(ctx.db, rows, ctx.timeZone)).join("\n")}\n完成后：/followup done 编号 结果` };
  },
};

/** The caller's open follow-ups due by the end of today, overdue ones marked. */
export async function dueVisits(ctx: CommandContext) {
  const me = ctx.actor.kind === "staff" ? ctx.actor.name : null;
  const now = ctx.clock.now();
  const dayEnd = instantAt(addDays(localDayOf(now, ctx.timeZone), 1), "00:00", ctx.timeZone);
  const due = await ctx.db.followUp.findMany({ where: { status: "OPEN", assigneeName: me, dueAt: { lt: dayEnd } }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: 50 });
  if (!due.length) return [text("今天没有到期的回访。全部待办：/followup")];
  const lines = await followUpLines(ctx.db, due, ctx.timeZone);
  const today = formatDateTime(now, ctx.timeZone).slice(0, 10);
  return [text(`您今天到期或已逾期的回访 ${due.length} 个：\n${lines.map((l, i) => (formatDateTime(due[i].dueAt!, ctx.timeZone).slice(0, 10) < today ? `${l}（已逾期）` : l)).join("\n")}\n完成后：/followup done 编号 结果`)];
}
