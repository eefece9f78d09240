// A complaint's handling rated by the person who complained (a button, or their number): 3 or more closes
// it, 2 or less reopens it to a manager (src/service/complaint-rating.ts). Only that person's answer counts.
import { addresseeOf } from "../../prompts/store.ts";
import { rateComplaint } from "../../service/complaint-rating.ts";
import type { Handler } from "./types.ts";

/** Said to someone pressing a rating put to another person. */
export const NOT_YOUR_RATING = "这个评分是请提出投诉的那位打的，谢谢您的关心。您有问题可以直接问我。";

export const answerRate: Handler<"rate"> = async ({ facts, route }, deps) => {
  const { event, actor } = facts;
  const prompt = await deps.db.prompt.findUnique({ where: { id: route.promptId } });
  // Only in the chat it was asked in, and only scores it offered.
  if (!prompt || prompt.kind !== "RATING" || prompt.chatId !== facts.chat.id || route.score < 1 || route.score > 5) return null;
  const theirs = prompt.addressee === null ? actor.kind !== "staff" : prompt.addressee === addresseeOf(event.platform, event.sender.id);
  if (!theirs) return { messages: [{ type: "text", text: NOT_YOUR_RATING }], privately: true };
  const said = await rateComplaint(deps.complaints, prompt, route.score, route.comment ?? null);
  deps.kick();
  return { messages: [{ type: "text", text: said }], kind: "complaint", privately: route.privately };
};
