// A poll answer from any platform (a button, a card, a numbered reply): recorded once per person, and a
// low score starts a mediation follow-up that the partner's owner hears about privately and in the staff chats.
import type { Db } from "../db/client.ts";
import type { PollAnswer } from "../types/poll-answer.ts";
import type { Logger } from "../lib/logger.ts";
import { recordVote, voteReply } from "./polls.ts";
import type { Outreach } from "./service.ts";

/** "张伟（wechat:wxid_1）" as the hub names people it adopted: shown as 张伟. */
const displayName = (name: string | undefined) => name?.replace(/（[a-z]+:[^）]*）$/, "");

export function voteHandler(db: Db, outreach: Outreach, kick: () => void, logger: Logger) {
  return async (v: PollAnswer): Promise<string | null> => {
    // Staff are not surveyed: a colleague trying the buttons must not move a partner's score.
    if (v.actor.kind === "staff") return null;
    const contactId = v.actor.kind === "contact" ? v.actor.contactId : null;
    const responder = contactId !== null ? `contact:${contactId}` : `${v.platform}:${v.senderId}`;
    const name = displayName(v.actor.name);
    const outcome = await recordVote(db, { pollId: v.pollId, value: v.value, comment: v.comment, responder, partnerId: v.partnerId, contactId, name, at: v.at });
    if (outcome.kind === "not_a_poll") return null;
    const f = outcome.followUp;
    if (f?.created) {
      const said = v.comment ? `，意见：「${v.comment}」` : "";
      const text = `【调解回访 #${f.id}】${f.partnerName}的${name ?? "联系人"}在满意度调查中打了 ${outcome.score} 分${said}。`;
      const inChats = await outreach.notifyStaff(`mediation:${f.id}`, `${text}${f.assigneeName ? `请${f.assigneeName}` : "该客户没有负责人，请经理指派同事"}尽快联系客户了解情况，处理后用 /followup done ${f.id} 记录结果。`);
      const toOwner = f.assigneeName ? await outreach.notifyPerson(f.assigneeName, `mediation:${f.id}`, `${text}您是这家客户的负责人，请尽快联系客户了解情况，处理后用 /followup done ${f.id} 记录结果。`) : 0;
      if (!inChats && !toOwner) logger.warn({ followUp: f.id, owner: f.assigneeName }, "mediation follow-up opened but nobody could be told: set HUB_STAFF_CHAT, or register the owner as staff (staff add)");
      kick();
    }
    return voteReply(outcome);
  };
}
