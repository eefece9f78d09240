// A poll answer from any platform (a button, a card, a numbered reply): recorded once per person, and a
// low score starts a mediation follow-up that the partner's owner hears about privately and in the staff chats.
import type { Db } from "../db/client.ts";
import { displayName } from "../text/person-name.ts";
import type { PollAnswer } from "../types/poll-answer.ts";
import type { Logger } from "../lib/logger.ts";
import { recordVote, voteReply } from "./polls.ts";
import type { Outreach } from "./service.ts";


/**
 * A score's comment that is a complaint (src/text/complaint-words.ts) opens or joins a ticket: what the
 * person is told of it, or null when the comment is not one. Given by the composition root, so outreach
 * does not depend on the complaint service.
 */
export type ComplaintComment = (v: PollAnswer & { comment: string }, name: string | undefined) => Promise<string | null>;

export function voteHandler(db: Db, outreach: Outreach, kick: () => void, logger: Logger, onComplaintComment: ComplaintComment = async () => null) {
  return async (v: PollAnswer): Promise<string | null> => {
    // Staff are not surveyed: a colleague trying the buttons must not move a partner's score.
    if (v.actor.kind === "staff") return null;
    const contactId = v.actor.kind === "contact" ? v.actor.contactId : null;
    const responder = contactId !== null ? `contact:${contactId}` : `${v.platform}:${v.senderId}`;
    const name = v.actor.name === undefined ? undefined : displayName(v.actor.name);
    const outcome = await recordVote(db, { pollId: v.pollId, value: v.value, comment: v.comment, replaces: v.replaces, responder, partnerId: v.partnerId, contactId, name, at: v.at });
    if (outcome.kind === "not_a_poll") return null;
    if (outcome.kind === "kept") return `您已经打过 ${outcome.score} 分了，这次的数字没有改动它。如要修改，请回复「改成 ${v.value} 分」。`;
    const f = outcome.followUp;
    // Whatever the score: "3，我要投诉你们业务员的态度" is a complaint too.
    const ticket = v.comment ? await onComplaintComment({ ...v, comment: v.comment }, name) : null;
    if (f?.created) {
      const said = v.comment ? `，意见：「${v.comment}」` : "";
      const text = `【调解回访 #${f.id}】${f.partnerName}的${name ?? "联系人"}在满意度调查中打了 ${outcome.score} 分${said}。`;
      const inChats = await outreach.notifyStaff(`mediation:${f.id}`, `${text}${f.assigneeName ? `请${f.assigneeName}` : "该客户没有负责人，请经理指派同事"}尽快联系客户了解情况，处理后用 /followup done ${f.id} 记录结果。`);
      const toOwner = f.assigneeName ? await outreach.notifyPerson(f.assigneeName, `mediation:${f.id}`, `${text}您是这家客户的负责人，请尽快联系客户了解情况，处理后用 /followup done ${f.id} 记录结果。`) : 0;
      if (!inChats && !toOwner) logger.warn({ followUp: f.id, owner: f.assigneeName }, "mediation follow-up opened but nobody could be told: set HUB_STAFF_CHAT, or register the owner as staff (staff add)");
      kick();
    }
    return ticket ? `${voteReply(outcome)}\n${ticket}` : voteReply(outcome);
  };
}
