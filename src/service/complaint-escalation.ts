// Complaints past a deadline (the first response, or the resolution, counted in working hours) are raised
// once each to the owner and a manager, privately and in the staff chats, through the outbox. The claim
// is the update itself, so of several instances only one escalates; a complaint nobody could be told about
// is released and tried again on the next tick. A resolved complaint its complainant did not rate within the
// rating's week is closed as unrated.
import { formatShortDateTime } from "../lib/time-format.ts";
import { excerpt } from "../text/excerpt.ts";
import { POLL_REPLY_WINDOW_MS as RATING_WINDOW_MS } from "../prompts/store.ts";
import { asManager, managerBesides, OPEN_STATUSES, ref, type ComplaintDesk, type ComplaintRow } from "./complaints.ts";

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
    // The claim checks again what the look-up saw: a first response just recorded stops it.
    const still = deadline === "respond" ? { respondedAt: null, status: { in: ["RECEIVED", "REOPENED"] } } : { status: { in: OPEN_STATUSES } };
    const claim = await db.complaint.updateMany({ where: { id: c.id, [field]: null, ...still }, data: { [field]: now } });
    if (claim.count !== 1) continue;
    if (await tell(desk, c, deadline)) done.push({ id: c.id, deadline });
    else await db.complaint.update({ where: { id: c.id }, data: { [field]: null } });
  }
  await closeUnrated(desk);
  return done;
}

/** Resolved, and the person who complained did not rate it while they could: closed, the owner told. */
async function closeUnrated(desk: ComplaintDesk): Promise<void> {
  const { db, clock } = desk.d;
  const now = clock.now();
  for (const c of await db.complaint.findMany({ where: { status: "RESOLVED", resolvedAt: { lte: new Date(now.getTime() - RATING_WINDOW_MS) } } })) {
    const open = await db.prompt.count({ where: { complaintId: c.id, kind: "RATING", status: "OPEN", expiresAt: { gt: now } } });
    if (open) continue;
    const closed = await db.complaint.updateMany({ where: { id: c.id, status: "RESOLVED" }, data: { status: "CLOSED", closedAt: now } });
    if (closed.count !== 1) continue;
    await db.prompt.updateMany({ where: { complaintId: c.id, kind: "RATING", status: "OPEN" }, data: { status: "CLOSED" } });
    await desk.step(c, "CLOSED", "客户 7 天内没有评分，自动结案", null, c.platform);
    if (c.ownerName) await desk.d.notifyPerson(c.ownerName, `complaint:${c.id}:unrated`, `【${ref(c)} 已结案】客户 7 天内没有为处理结果打分，已自动结案。如需回访确认：/followup add 客户编号 日期 事由`);
  }
}

async function tell(desk: ComplaintDesk, c: ComplaintRow, deadline: Deadline): Promise<boolean> {
  const { db, timeZone } = desk.d;
  const manager = await managerBesides(db, c.ownerName);
  const partner = c.partnerId === null ? null : await db.partner.findUnique({ where: { id: c.partnerId }, select: { name: true, code: true } });
  const what = deadline === "respond" ? `首次回复期限 ${formatShortDateTime(c.respondBy, timeZone)} 已过，还没有人回复客户` : `解决期限 ${formatShortDateTime(c.resolveBy, timeZone)} 已过，还没有处理完`;
  const who = [c.ownerName, manager && asManager(manager.name)].filter(Boolean).join("和");
  const text =
    `【投诉超时 #${c.id}】${partner ? `${partner.name}（${partner.code}）` : "未绑定客户"}：${excerpt(c.text, 60)}\n${what}。` +
    `${who ? `请${who}尽快处理：` : "请尽快处理："}/complaint note ${c.id} 进展 · /complaint resolve ${c.id} 处理结果`;
  // Once per deadline: a deadline moved (a reopening, a new severity) escalates again when it passes.
  const before = await db.complaintStep.count({ where: { complaintId: c.id, action: "ESCALATED" } });
  const key = `complaint:${c.id}:overdue:${deadline}:${(deadline === "respond" ? c.respondBy : c.resolveBy).getTime()}:${before}`;
  let told = await desk.d.notifyStaff(key, text, "complaint");
  for (const name of new Set([c.ownerName, manager?.name].filter((n): n is string => !!n))) told += await desk.d.notifyPerson(name, key, text);
  if (told) await desk.step(c, "ESCALATED", `${what}，已提醒${who || "员工群"}`, null, c.platform);
  return told > 0;
}
