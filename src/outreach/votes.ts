// A poll answer from any platform (a button, a card, a numbered reply): recorded once per person, and a
// low score starts a mediation follow-up that the partner's owner hears about in the staff chats.
import type { Db } from "../db/client.ts";
import type { PollAnswer } from "../hub/pipeline.ts";
import { recordVote, voteReply } from "./polls.ts";
import type { Outreach } from "./service.ts";

export function voteHandler(db: Db, outreach: Outreach, kick: () => void) {
  return async (v: PollAnswer): Promise<string | null> => {
    const contactId = v.actor.kind === "contact" ? v.actor.contactId : null;
    const responder = contactId !== null ? `contact:${contactId}` : `${v.platform}:${v.senderId}`;
    const name = v.actor.kind === "stranger" ? v.actor.name : v.actor.name;
    const outcome = await recordVote(db, { pollId: v.pollId, value: v.value, comment: v.comment, responder, partnerId: v.partnerId, contactId, name, at: v.at });
    if (outcome.kind === "not_a_poll") return null;
    if (outcome.followUp) {
      const f = outcome.followUp;
      const owner = f.assigneeName ? `@${f.assigneeName}` : "（该客户没有负责人，请经理指派）";
      const said = v.comment ? `，意见：「${v.comment}」` : "";
      await outreach.notifyStaff(
        `mediation:${f.id}`,
        `【调解回访 #${f.id}】${f.partnerName}的${name ?? "联系人"}在满意度调查中打了 ${outcome.score} 分${said}。${owner} 请尽快联系客户了解情况，处理后记录回访结果。`,
      );
      kick();
    }
    return voteReply(outcome, "客户经理");
  };
}
