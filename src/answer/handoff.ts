// When the bot is not sure: the question becomes a Question for a named colleague, the partner is told
// who will follow up, and staff see it in their channel with the command to answer it.
import type { Db } from "../db/client.ts";
import type { Suggestion } from "./answerer.ts";
import { excerpt } from "../text/excerpt.ts";

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
  /** How it reached staff: nothing relevant (HANDOFF), 都不是 (NONE_FIT), or choices left unpicked (TIMEOUT). */
  via?: HandOffVia;
}

export type HandOffVia = "HANDOFF" | "NONE_FIT" | "TIMEOUT";

/** What staff read about the choices the partner saw, by how the question came to them. */
const OFFERED_HEADING: Record<Exclude<HandOffVia, "HANDOFF">, string> = {
  NONE_FIT: "已给客户这些选项，客户回答「都不是」：",
  TIMEOUT: "已给客户这些选项，客户没有在时限内选择：",
};

/** The partner's owner when they are staff here, else the first manager or admin. */
async function assignee(db: Db, partnerId: number | null): Promise<string | null> {
  if (partnerId !== null) {
    const owner = (await db.partner.findUnique({ where: { id: partnerId }, select: { ownerName: true } }))?.ownerName;
    if (owner && (await db.staff.findUnique({ where: { name: owner } }))) return owner;
  }
  const lead = await db.staff.findFirst({ where: { role: { in: ["MANAGER", "ADMIN"] } }, orderBy: { id: "asc" } });
  return lead?.name ?? null;
}

/** What the partner is told when their question goes to a colleague. */
export const partnerNotice = (questionId: number, assignee: string | null) => `这个问题我请同事${assignee ?? ""}跟进，会尽快回复您（问题编号 #${questionId}）。`;

/** What the partner is told about a question already with a colleague (asked again, or a late pick). */
export async function noticeFor(db: Db, questionId: number): Promise<string> {
  const q = await db.question.findUnique({ where: { id: questionId }, select: { id: true, assigneeName: true } });
  return q ? partnerNotice(q.id, q.assigneeName) : "这个问题已请同事跟进，会尽快回复您。";
}

/** The same, said later (choices left unpicked): naming the question, which is no longer the last thing said. */
export const laterNotice = (questionId: number, assignee: string | null, text: string) =>
  `您问的「${excerpt(text)}」我请同事${assignee ?? ""}跟进，会尽快回复您（问题编号 #${questionId}）。`;

/**
 * The question a stopped hub already handed off for this message, if any, with what the partner and staff
 * are told: answering the message again repeats both (staff under the same key, so posted once) instead of
 * filing it twice.
 */
export async function handedOffAlready(db: Db, q: Pick<HandOffInput, "platform" | "externalChatId" | "text" | "askedAt">, suggestions: Suggestion[] = []) {
  const question = await db.question.findFirst({ where: { platform: q.platform, externalChatId: q.externalChatId, askedAt: q.askedAt, text: q.text } });
  return question ? { question, toPartner: partnerNotice(question.id, question.assigneeName), toStaff: await staffPost(db, question, suggestions) } : null;
}

/**
 * `suggestions`: the entries the bot found but was not sure of. The colleague sees them, and answering
 * with one (/answer N --kb ID) teaches the bot this way of asking.
 */
export async function handOff(db: Db, q: HandOffInput, suggestions: Suggestion[] = []) {
  const question = await db.question.create({ data: await questionRow(db, q, suggestions) });
  return { question, toPartner: partnerNotice(question.id, question.assigneeName), toStaff: await staffPost(db, question, suggestions) };
}

/** The Question row a hand-off files (its assignee looked up); `offered`: the choices the partner saw. */
export async function questionRow(db: Db, q: HandOffInput, offered: Suggestion[] = []) {
  const via = q.via ?? "HANDOFF";
  return {
    ...q, via, threadId: q.threadId ?? null, trainingId: q.trainingId ?? null, assigneeName: await assignee(db, q.partnerId),
    offered: via === "HANDOFF" ? null : JSON.stringify(offered.map((s) => s.id)),
  };
}

/** What the partner and staff are told about a question filed already (a pick of 都不是, a timeout). */
export async function handOffTexts(db: Db, question: QuestionForPost, suggestions: Suggestion[]) {
  return { question, toPartner: partnerNotice(question.id, question.assigneeName), toStaff: await staffPost(db, question, suggestions) };
}

type QuestionForPost = { id: number; partnerId: number | null; contactId: number | null; text: string; assigneeName: string | null; via: string };

/** The post in the staff chats: who asked what, whose it is, and how to answer it. */
async function staffPost(db: Db, question: QuestionForPost, suggestions: Suggestion[]): Promise<string> {
  const partner = question.partnerId ? await db.partner.findUnique({ where: { id: question.partnerId }, select: { name: true, code: true } }) : null;
  const contact = question.contactId ? await db.contact.findUnique({ where: { id: question.contactId }, select: { name: true } }) : null;
  const who = [partner ? `${partner.name}（${partner.code}）` : "未绑定客户的会话", contact?.name].filter(Boolean).join(" ");
  const lines = [`【待回答 #${question.id}】${who}：${question.text}`, `负责人：${question.assigneeName ?? "未指定"}`];
  if (suggestions.length) {
    const heading = question.via in OFFERED_HEADING ? OFFERED_HEADING[question.via as keyof typeof OFFERED_HEADING] : "知识库里可能相关的条目：";
    lines.push(heading, ...suggestions.map((s) => `· ${s.id} ${s.question}`));
    lines.push(`用条目回答：/answer ${question.id} --kb ${suggestions[0].id}（您确认后，这种问法会记到该条目下，以后直接回答）`);
  }
  lines.push(`自己回答：/answer ${question.id} 回答内容（加 --save 同时存入知识库）`);
  return lines.join("\n");
}
