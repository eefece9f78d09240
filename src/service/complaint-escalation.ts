// Complaints past a deadline (the first response, or the resolution, counted in working hours) are raised
// once each to the owner and a manager, privately and in the staff chats, through the outbox. The claim
// is the update itself, so of several instances only one escalates; a complaint nobody could be told about
// is released and tried again on the next tick.
import { formatShortDateTime } from "../lib/time-format.ts";
import { excerpt } from "../text/excerpt.ts";
import { managerBesides, OPEN_STATUSES, ref, type ComplaintDesk, type ComplaintRow } from "./complaints.ts";

type Deadline = "respond" | "resolve";

export async function escalateOverdueComplaints(desk: ComplaintDesk): Promise<{ id: number; deadline: Deadline }[]> {
  const { db, clock } = desk.d;
  const now = clock.now();
  const done: { id: number; deadline: Deadline }[] = [];
  const late = [
    ...(await db.complaint.findMany({ where: { status: { in: ["RECEIVED", "REOPENED"] }, respondedAt: null, respondEscalatedAt: null, respondBy: { lte: now } }, orderBy: { respondBy: "asc" } })).map((c) => ({ c, deadline: "respond" as const })),
    ...(await db.complaint.findMany({ where: { status: { in: OPEN_STATUSES }, resolveEscalatedAt: null, resolveBy: { lte: now } }, orderBy: { resolveBy: "asc" } })).map((c) => ({ c, deadline: "resolve" as const })),
  ];
  for (const { c, deadline } of late) {
    const field = deadline === "respond" ? "respondEscalatedAt" : "resolveEscalatedAt";
    const claim = await db.complaint.updateMany({ where: { id: c.id, [field]: null, status: { in: OPEN_STATUSES } }, data: { [field]: now } });
    if (claim.count !== 1) continue;
    if (await tell(desk, c, deadline)) done.push({ id: c.id, deadline });
    else await db.complaint.update({ where: { id: c.id }, data: { [field]: null } });
  }
  return done;
}

async function tell(desk: ComplaintDesk, c: ComplaintRow, deadline: Deadline): Promise<boolean> {
  const { db, timeZone } = desk.d;
  const manager = await managerBesides(db, c.ownerName);
  const partner = c.partnerId === null ? null : await db.partner.findUnique({ where: { id: c.partnerId }, select: { name: true, code: true } });
  const what = deadline === "respond" ? `首次回复期限 ${formatShortDateTime(c.respondBy, timeZone)} 已过，还没有人回复客户` : `解决期限 ${formatShortDateTime(c.resolveBy, timeZone)} 已过，还没有处理完`;
  const who = [c.ownerName, manager && `经理${manager.name}`].filter(Boolean).join("和");
  const text =
    `【投诉超时 #${c.id}】${partner ? `${partner.name}（${partner.code}）` : "未绑定客户"}：${excerpt(c.text, 60)}\n${what}。` +
    `${who ? `请${who}尽快处理：` : "请尽快处理："}/complaint note ${c.id} 进展 · /complaint resolve ${c.id} 处理结果`;
  // Once per deadline and round: a reopened complaint's new deadlines escalate again.
  const key = `complaint:${c.id}:overdue:${deadline}:${(c.reopenedAt ?? c.receivedAt).getTime()}`;
  let told = await desk.d.notifyStaff(key, text, "complaint");
  for (const name of new Set([c.ownerName, manager?.name].filter((n): n is string => !!n))) told += await desk.d.notifyPerson(name, key, text);
  if (told) await desk.step(c, "ESCALATED", `${what}，已提醒${who || "员工群"}`, null, c.platform);
  return told > 0;
}
