// Questions nobody answered within their SLA (counted in working hours) are raised again in the staff
// chat, naming the colleague it was given to and a manager. Each question is escalated once, by
// whichever instance claims it first.
import type { Db } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";
import { workingMsBetween, type WorkingHours } from "../lib/working-time.ts";

export interface EscalationDeps {
  db: Db;
  clock: Clock;
  timeZone: string;
  workingHours: WorkingHours;
  slaWorkingHours: number;
  /** Into the outbox, to the staff chats, under a dedupe key; false when there are none. */
  notifyStaff(key: string, text: string): Promise<boolean>;
}

const HOUR = 3_600_000;

export async function escalateOverdue(d: EscalationDeps): Promise<number[]> {
  const now = d.clock.now();
  const open = await d.db.question.findMany({ where: { status: "OPEN", escalatedAt: null }, orderBy: { askedAt: "asc" } });
  const escalated: number[] = [];
  for (const q of open) {
    const waited = workingMsBetween(q.askedAt, now, d.timeZone, d.workingHours);
    if (waited < d.slaWorkingHours * HOUR) continue;
    // The claim is the update itself: only one instance sees count 1.
    const claim = await d.db.question.updateMany({ where: { id: q.id, escalatedAt: null, status: "OPEN" }, data: { escalatedAt: now } });
    if (claim.count !== 1) continue;
    escalated.push(q.id);
    const manager = await d.db.staff.findFirst({ where: { role: { in: ["MANAGER", "ADMIN"] }, name: { not: q.assigneeName ?? "" } }, orderBy: { id: "asc" } });
    const partner = q.partnerId ? await d.db.partner.findUnique({ where: { id: q.partnerId }, select: { name: true, code: true } }) : null;
    const who = [q.assigneeName, manager && `经理${manager.name}`].filter(Boolean).join("和");
    const text =
      `【超时未回答 #${q.id}】${partner ? `${partner.name}（${partner.code}）` : "未绑定客户"}：${q.text}\n` +
      `已等待 ${(waited / HOUR).toFixed(1)} 个工作小时（时限 ${d.slaWorkingHours} 小时）。${who ? `请${who}尽快处理：` : "请尽快处理："}/answer ${q.id} 回答内容`;
    // Not delivered anywhere: release the claim so the next tick tries again.
    if (!(await d.notifyStaff(`escalation:${q.id}`, text))) await d.db.question.update({ where: { id: q.id }, data: { escalatedAt: null } });
  }
  return escalated;
}
