// Complaints as staff read them: a list (open, mine, overdue, one partner's, all) and one complaint's file
// with every step (投诉档案).
import type { Db } from "../db/client.ts";
import { formatShortDateTime } from "../lib/time-format.ts";
import { excerpt } from "../text/excerpt.ts";
import { CATEGORIES, SEVERITIES, type Category, type Severity } from "../text/complaint-words.ts";
import { OPEN_STATUSES, STATUS_NAMES, STEP_NAMES, type ComplaintRow } from "./complaints.ts";

export type ListFilter = { kind: "open" } | { kind: "mine"; name: string } | { kind: "overdue" } | { kind: "all" } | { kind: "partner"; partnerId: number; label: string };

const SHOWN = 30;

/** Past a deadline it has not met. */
export const overdue = (c: ComplaintRow, now: Date) => OPEN_STATUSES.includes(c.status) && ((!c.respondedAt && c.respondBy <= now) || c.resolveBy <= now);

/** `scope`: an agent's reach (their partners, or tickets they own); null for all. */
export async function listComplaints(db: Db, filter: ListFilter, scope: { partnerIds: number[]; ownerName: string } | null, now: Date, timeZone: string): Promise<string> {
  const reach = scope ? { OR: [{ partnerId: { in: scope.partnerIds } }, { ownerName: scope.ownerName }] } : {};
  const where =
    filter.kind === "open" ? { status: { not: "CLOSED" } }
    : filter.kind === "mine" ? { ownerName: filter.name, status: { not: "CLOSED" } }
    : filter.kind === "overdue" ? { status: { in: OPEN_STATUSES }, OR: [{ respondedAt: null, respondBy: { lte: now } }, { resolveBy: { lte: now } }] }
    : filter.kind === "partner" ? { partnerId: filter.partnerId }
    : {};
  const rows = await db.complaint.findMany({ where: { AND: [where, reach] }, orderBy: filter.kind === "all" || filter.kind === "partner" ? [{ receivedAt: "desc" }] : [{ resolveBy: "asc" }], take: SHOWN + 1 });
  // One partner's: the open ones first, nearest deadline first, then the rest, newest first.
  if (filter.kind === "partner") rows.sort((a, b) => Number(!OPEN_STATUSES.includes(a.status)) - Number(!OPEN_STATUSES.includes(b.status)) || (OPEN_STATUSES.includes(a.status) ? nextDeadline(a).getTime() - nextDeadline(b).getTime() : 0));
  const label = filter.kind === "partner" ? filter.label : "";
  const title = { open: "未结案的投诉", mine: "您负责的未结案投诉", overdue: "已逾期的投诉", all: "全部投诉（最近）", partner: `${label}的投诉` }[filter.kind];
  if (!rows.length) return { open: "没有未结案的投诉。", mine: "您没有负责中的投诉。", overdue: "没有逾期的投诉。", all: "还没有投诉记录。", partner: `${label}没有投诉记录。` }[filter.kind];
  const names = new Map((await db.partner.findMany({ where: { id: { in: rows.flatMap((r) => (r.partnerId === null ? [] : [r.partnerId])) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const lines = rows.slice(0, SHOWN).map((c) => `${complaintLine(c, now, timeZone, c.partnerId === null ? "未绑定客户" : (names.get(c.partnerId) ?? ""))}`);
  const more = rows.length > SHOWN ? `\n……只显示前 ${SHOWN} 条` : "";
  return `${title} ${rows.length > SHOWN ? `${SHOWN}+` : rows.length} 条：\n${lines.join("\n")}${more}\n查看详情：/complaint show 编号`;
}

/** The deadline an open complaint works to now: the first response's until it is given, then the resolution's. */
const nextDeadline = (c: ComplaintRow) => (!c.respondedAt ? c.respondBy : c.resolveBy);

/** "#3 一般·物流 杭州云帆 · 周敏 · 处理中 · 解决期限 12月8日 18:00（已逾期）：货到现在还没发" */
export function complaintLine(c: ComplaintRow, now: Date, timeZone: string, partnerName: string): string {
  const open = OPEN_STATUSES.includes(c.status);
  const deadline = !open ? "" : !c.respondedAt ? ` · 回复期限 ${formatShortDateTime(c.respondBy, timeZone)}` : ` · 解决期限 ${formatShortDateTime(c.resolveBy, timeZone)}`;
  const late = overdue(c, now) ? "（已逾期）" : "";
  return `· #${c.id} ${SEVERITIES[c.severity as Severity]}·${CATEGORIES[c.category as Category]} ${partnerName} · ${c.ownerName ?? "未指派"} · ${STATUS_NAMES[c.status] ?? c.status}${deadline}${late}：${excerpt(c.text, 30)}`;
}

/** One complaint's file: what was said, who handles it, the deadlines, and every step so far. */
export async function showComplaint(db: Db, c: ComplaintRow, now: Date, timeZone: string): Promise<string> {
  const [partner, steps] = await Promise.all([
    c.partnerId === null ? null : db.partner.findUnique({ where: { id: c.partnerId }, select: { name: true, code: true } }),
    db.complaintStep.findMany({ where: { complaintId: c.id }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
  ]);
  const at = (d: Date) => formatShortDateTime(d, timeZone);
  const lines = [
    `投诉 #${c.id} · ${STATUS_NAMES[c.status] ?? c.status}${overdue(c, now) ? "（已逾期）" : ""}`,
    `客户：${partner ? `${partner.name}（${partner.code}）` : "未绑定客户"}${c.complainantName ? ` · ${c.complainantName}` : ""}${c.filedBy ? ` · ${c.filedBy}代登记` : ""}`,
    `内容：${c.text}`,
    `分类：${CATEGORIES[c.category as Category]} · 严重程度：${SEVERITIES[c.severity as Severity]}${c.confirmed ? "" : "（系统判断，待确认：/complaint set " + c.id + " 分类 严重程度）"}`,
    `负责人：${c.ownerName ?? "未指派"}`,
    `受理：${at(c.receivedAt)} · ${c.respondedAt ? `首次回复：${at(c.respondedAt)}` : `首次回复期限：${at(c.respondBy)}`} · 解决期限：${at(c.resolveBy)}`,
  ];
  if (c.resolution) lines.push(`处理结果：${c.resolution}`);
  if (c.rating !== null) lines.push(`客户评分：${c.rating} 分`);
  lines.push("经过：", ...steps.map((s) => `· ${at(s.at)} ${s.actor ? `${s.actor} ` : ""}${STEP_NAMES[s.action] ?? s.action}：${s.text}`));
  return lines.join("\n");
}
