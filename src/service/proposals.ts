// 提案 (seed 000 第18条): partners may propose improvements to products, channels, information and
// support. A proposal is numbered and acknowledged, goes to the partner's owner (privately) and the staff
// chats through the outbox, and staff answer and close it; the partner can ask how theirs stand.
import type { Db } from "../db/client.ts";
import type { Outreach } from "../outreach/service.ts";
import { excerpt } from "../text/excerpt.ts";

export interface ProposalInput {
  partnerId: number | null;
  contactId: number | null;
  platform: string;
  externalChatId: string;
  threadId: string | null;
  /** The message it came in: filing it again (after a stop) finds the same proposal. */
  eventId: string;
  text: string;
  at: Date;
}

export const STATUS_NAMES: Record<string, string> = { OPEN: "待处理", REPLIED: "已回复", DONE: "已处理" };


/** Files a proposal (once per message) and tells the owner and the staff chats; what the partner is told. */
export async function fileProposal(db: Db, outreach: Pick<Outreach, "notifyStaff" | "notifyPerson">, p: ProposalInput): Promise<string> {
  const partner = p.partnerId === null ? null : await db.partner.findUnique({ where: { id: p.partnerId }, select: { name: true, code: true, ownerName: true } });
  const owner = partner?.ownerName && (await db.staff.findUnique({ where: { name: partner.ownerName } })) ? partner.ownerName : null;
  const { at, ...fields } = p;
  const proposal = await db.proposal.upsert({
    where: { platform_eventId: { platform: p.platform, eventId: p.eventId } },
    create: { ...fields, ownerName: owner, createdAt: at },
    update: {},
  });
  const contact = p.contactId === null ? null : await db.contact.findUnique({ where: { id: p.contactId }, select: { name: true } });
  const who = [partner ? `${partner.name}（${partner.code}）` : "未绑定客户的会话", contact?.name].filter(Boolean).join(" ");
  const post = `【客户建议 #${proposal.id}】${who}：${proposal.text}\n负责人：${owner ?? "未指定"}\n回复客户：/proposal reply ${proposal.id} 回复内容；处理完：/proposal done ${proposal.id}`;
  await outreach.notifyStaff(`proposal:${proposal.id}`, post, "proposal");
  if (owner) await outreach.notifyPerson(owner, `proposal:${proposal.id}`, post);
  return `谢谢您的建议！已记录为建议 #${proposal.id}，${owner ? `负责您的同事${owner}` : "我们的同事"}会认真看并回复您。想了解进展，可以发送 /proposal 查看。`;
}

/** A partner's proposals, newest first, as they read them. */
export async function proposalsOf(db: Db, partnerId: number): Promise<string> {
  const rows = await db.proposal.findMany({ where: { partnerId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 10 });
  if (!rows.length) return "您还没有提过建议。有想法可以直接发「建议：内容」给我。";
  const lines = rows.map((r) => `· 建议 #${r.id}「${excerpt(r.text, 20)}」：${STATUS_NAMES[r.status] ?? r.status}${r.reply ? `，回复：${r.reply}` : ""}`);
  return `贵公司提过的建议（最近 ${rows.length} 条）：\n${lines.join("\n")}`;
}

/** Open proposals (waiting or answered, not done), oldest first, for staff; `partnerIds`: an agent's own (null: all). */
export async function openProposals(db: Db, all: boolean, partnerIds: number[] | null): Promise<string> {
  const scope = partnerIds === null ? {} : { partnerId: { in: partnerIds } };
  const rows = await db.proposal.findMany({ where: all ? scope : { ...scope, status: { not: "DONE" } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 50 });
  if (!rows.length) return all ? "还没有客户建议。" : "没有待处理的客户建议。";
  const partners = new Map((await db.partner.findMany({ where: { id: { in: rows.flatMap((r) => (r.partnerId === null ? [] : [r.partnerId])) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const lines = rows.map((r) => `· #${r.id} ${r.partnerId === null ? "未绑定客户" : partners.get(r.partnerId)}：${excerpt(r.text, 40)}（${STATUS_NAMES[r.status]}，负责人 ${r.ownerName ?? "未指定"}）`);
  return `${all ? "全部" : "待处理的"}客户建议 ${rows.length} 条：\n${lines.join("\n")}`;
}
