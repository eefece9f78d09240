// When the bot is not sure: the question becomes a Question for a named colleague, the partner is told
// who will follow up, and staff see it in their channel with the command to answer it.
import type { Db } from "../db/client.ts";

export interface HandOffInput {
  partnerId: number | null;
  contactId: number | null;
  platform: string;
  externalChatId: string;
  threadId?: string;
  text: string;
  askedAt: Date;
  /** Asked in a training's follow-up window. */
  trainingId?: number | null;
}

/** The partner's owner when they are staff here, else the first manager or admin. */
async function assignee(db: Db, partnerId: number | null): Promise<string | null> {
  if (partnerId !== null) {
    const owner = (await db.partner.findUnique({ where: { id: partnerId }, select: { ownerName: true } }))?.ownerName;
    if (owner && (await db.staff.findUnique({ where: { name: owner } }))) return owner;
  }
  const lead = await db.staff.findFirst({ where: { role: { in: ["MANAGER", "ADMIN"] } }, orderBy: { id: "asc" } });
  return lead?.name ?? null;
}

export async function handOff(db: Db, q: HandOffInput) {
  const name = await assignee(db, q.partnerId);
  const question = await db.question.create({
    data: { ...q, threadId: q.threadId ?? null, trainingId: q.trainingId ?? null, assigneeName: name },
  });
  const partner = q.partnerId ? await db.partner.findUnique({ where: { id: q.partnerId }, select: { name: true, code: true } }) : null;
  const contact = q.contactId ? await db.contact.findUnique({ where: { id: q.contactId }, select: { name: true } }) : null;
  const toPartner = `这个问题我请同事${name ?? ""}跟进，会尽快回复您（问题编号 #${question.id}）。`;
  const who = [partner ? `${partner.name}（${partner.code}）` : "未绑定客户的会话", contact?.name].filter(Boolean).join(" ");
  const toStaff = `【待回答 #${question.id}】${who}：${q.text}\n负责人：${name ?? "未指定"}\n回复：/answer ${question.id} 回答内容（加 --save 同时存入知识库）`;
  return { question, toPartner, toStaff };
}
