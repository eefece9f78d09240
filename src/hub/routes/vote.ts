// A poll answered, by a button or by replying an option's number: outreach records it (src/outreach/votes.ts)
// and says what the person who voted reads.
import type { Handler } from "./types.ts";

export const answerVote: Handler<"vote"> = async ({ facts, route }, { onVote }) => {
  const { event, actor, partnerId } = facts;
  const said = await onVote({ ...route.answer, actor, platform: event.platform, senderId: event.sender.id, externalChatId: event.chat.id, eventId: event.messageId, partnerId, at: event.at });
  return said ? [{ type: "text", text: said }] : null;
};
