// After a complaint is resolved the person who complained is asked to rate the handling: privately where
// the hub has a private chat with them, else in the group, addressed by name, where only their answer
// counts (a Prompt of kind RATING addressed to them). 3 or more closes the ticket; 2 or less reopens it
// and hands it to a manager (seed 003 六 3: 若处理结果未满足客户要求，需重新协商解决方案).
import type { Platform } from "../../adapters/contract.ts";
import { formatShortDateTime } from "../lib/time-format.ts";
import { openRating, RATING_OPTIONS, type PromptRow } from "../prompts/store.ts";
import { excerpt } from "../text/excerpt.ts";
import { asManager, managerBesides, ref, type ComplaintDesk, type ComplaintRow } from "./complaints.ts";

/** Thrown inside the rating's transaction when someone else settled it first: nothing is written. */
const SETTLED = new Error("rating settled elsewhere");

/** At or below this the handling failed the partner: the ticket is reopened to a manager. */
export const LOW_RATING = 2;

/** Where the rating is asked: the complainant's private chat when there is one, else the complaint's chat. */
async function ratingChat(desk: ComplaintDesk, c: ComplaintRow) {
  const { db } = desk.d;
  const here = c.externalChatId ? await db.chat.findUnique({ where: { platform_externalChatId: { platform: c.platform, externalChatId: c.externalChatId } } }) : null;
  if (here?.kind === "direct") return { chat: here, addressee: c.complainant, privately: true };
  if (c.contactId !== null) {
    const direct = await db.chat.findMany({ where: { contactId: c.contactId, kind: "direct" }, orderBy: { id: "asc" } });
    for (const chat of [...direct.filter((d) => d.platform === c.platform), ...direct.filter((d) => d.platform !== c.platform)]) {
      const identity = await db.identity.findFirst({ where: { contactId: c.contactId, platform: chat.platform }, orderBy: { id: "asc" } });
      if (identity) return { chat, addressee: `${chat.platform}:${identity.externalId}`, privately: true };
    }
  }
  return here ? { chat: here, addressee: c.complainant, privately: false } : null;
}

/** Asks for the rating (once per resolution: `round`); what staff are told about it. */
export async function askRating(desk: ComplaintDesk, c: ComplaintRow, round: number): Promise<string> {
  const { db, clock } = desk.d;
  const where = await ratingChat(desk, c);
  if (!where) return "客户没有可以联系的会话，请电话回访，确认客户是否满意。";
  const prompt = await openRating(db, {
    platform: where.chat.platform, chatId: where.chat.id, externalChatId: where.chat.externalChatId, addressee: where.addressee, complaintId: c.id,
    eventId: `complaint:${c.id}:${round}`, partnerId: c.partnerId, contactId: c.contactId, at: clock.now(),
  });
  const name = c.complainantName ?? "";
  const to = where.privately ? `${name ? `${name}，` : ""}您好！` : name ? `@${name} 您好！` : "您好！";
  const only = !where.privately && where.addressee ? `（请${name || "投诉人"}本人打分）` : "";
  const question = `${to}您的${ref(c)}「${excerpt(c.text, 20)}」已处理完毕。请为这次处理打个分${only}：5 分非常满意，1 分很不满意。不满意（1 或 2 分）会直接交给经理重新处理。`;
  await desk.d.send(where.chat.platform as Platform, where.chat.externalChatId, { type: "poll", pollId: prompt.ref, question, options: RATING_OPTIONS }, where.privately ? undefined : (c.threadId ?? undefined), "complaint_rating", `complaint:${c.id}:rating:${round}`);
  return `已请${name || "客户"}${where.privately ? "私下" : "在群里"}为处理打分，低于 3 分会重新打开并转给经理。`;
}

/** A score from the person asked; what they are told. */
export async function rateComplaint(desk: ComplaintDesk, prompt: PromptRow, score: number, comment: string | null): Promise<string> {
  const { db, clock, timeZone } = desk.d;
  const now = clock.now();
  const c = prompt.complaintId === null ? null : await db.complaint.findUnique({ where: { id: prompt.complaintId } });
  if (!c) return "这次评分已经结束了，谢谢您！";
  if (prompt.status === "RATED") return `您已经为${ref(c)} 打过分了（${c.rating ?? ""} 分），谢谢！`;
  if (prompt.status !== "OPEN" || prompt.expiresAt <= now || c.status !== "RESOLVED") return `${ref(c)} 的评分已经结束了。有新的问题可以直接发「投诉：具体情况」。`;
  const low = score <= LOW_RATING;
  const manager = low ? await managerBesides(db, null) : null;
  // The score and what it does to the ticket are one write: a failure leaves the rating open to answer again.
  // Only a complaint still resolved: a colleague reopening it meanwhile wins, and the rating is void.
  const rated = await db
    .$transaction(async (tx) => {
      const claimed = await tx.prompt.updateMany({ where: { id: prompt.id, status: "OPEN" }, data: { status: "RATED", pickedAt: now } });
      if (claimed.count !== 1) throw SETTLED;
      const data = { rating: score, ...(low ? desk.reopened(c, now, manager?.name ?? null) : { status: "CLOSED", closedAt: now }) };
      if ((await tx.complaint.updateMany({ where: { id: c.id, status: "RESOLVED" }, data })).count !== 1) throw SETTLED;
      return tx.complaint.findUniqueOrThrow({ where: { id: c.id } });
    })
    .catch((err) => {
      if (err === SETTLED) return null;
      throw err;
    });
  if (!rated) return `${ref(c)} 的评分已经结束了，谢谢您！`;
  const said = `${score} 分${comment ? `：${comment}` : ""}`;
  await desk.step(c, "RATED", said, null, prompt.platform);
  if (!low) {
    await desk.step(c, "CLOSED", `客户确认（${score} 分）`, null, prompt.platform);
    if (c.ownerName) await desk.d.notifyPerson(c.ownerName, `complaint:${c.id}:closed`, `【${ref(c)} 已结案】客户对处理结果打了 ${said}。`);
    return `谢谢您的评分（${score} 分）！${ref(c)} 已结案。以后有任何问题，随时找我们。`;
  }
  await desk.step(c, "REOPENED", `客户评分 ${said}${manager && manager.name !== c.ownerName ? `（转给${manager.name}）` : ""}`, null, prompt.platform);
  const post = `【${ref(c)} 客户不满意，重新打开】客户对处理结果打了 ${said}\n原处理结果：${c.resolution ?? ""}\n${manager ? `已转给${asManager(manager.name)}` : "没有登记经理，仍由" + (c.ownerName ?? "负责人")}跟进，${formatShortDateTime(rated.respondBy, timeZone)} 前需联系客户。查看：/complaint show ${c.id}`;
  await desk.d.notifyStaff(`complaint:${c.id}:low:${prompt.id}`, post, "complaint");
  for (const name of new Set([manager?.name, c.ownerName].filter((n): n is string => !!n))) await desk.d.notifyPerson(name, `complaint:${c.id}:low:${prompt.id}`, post);
  return `很抱歉这次处理没能让您满意。${ref(c)} 已重新打开，${manager ? `由${asManager(manager.name)}亲自跟进` : "我们会重新处理"}，${formatShortDateTime(rated.respondBy, timeZone)} 前联系您。`;
}
