// What a partner reads when the bot is not sure which entry they mean: the closest entries' questions to
// pick from, and a way to say none fits. One prompt message (a poll's form): buttons on Slack and Lark,
// a numbered list elsewhere (adapters/fallback.ts).
import type { OutboundMessage } from "../../adapters/contract.ts";
import type { Suggestion } from "./answerer.ts";

export const CHOICES_QUESTION = "您是想问以下哪个问题？";
/** Option 0: none of these, a colleague answers. */
export const NONE_FITS = "都不是，请同事来回答";

export function choicesMessage(ref: string, choices: Suggestion[]): Extract<OutboundMessage, { type: "poll" }> {
  return { type: "poll", pollId: ref, question: CHOICES_QUESTION, options: choices.map((c) => ({ value: c.id, label: c.question })), none: NONE_FITS };
}
