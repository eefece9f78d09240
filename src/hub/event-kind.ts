// What an inbound event is, read without the database: its text for the history, the command it carries,
// and whether a message is for the bot at all (said to it, or a question in a partner's group).
import type { InboundEvent, InboundMessage } from "../../adapters/contract.ts";
import { parseCommandText, type ParsedCommand } from "../commands/parse.ts";
import { isChatter, isGreeting, looksLikeQuestion } from "../answer/intent.ts";
import type { Actor, ResolvedChat } from "../types/identity.ts";

/** A message the bot should answer: said to it (privately or @ it), or a question in a partner's group. */
export function forTheBot(event: InboundMessage, chat: ResolvedChat, actor: Actor): boolean {
  const direct = event.chat.kind === "direct";
  if (chat.internal) return false;
  if (direct && isGreeting(event.text)) return true;
  if (isChatter(event.text) || isGreeting(event.text)) return false;
  // Talk among people: staff with each other, or a question put to someone by @name.
  if (!direct && !event.mentioned && (actor.kind === "staff" || event.mentions?.length || !looksLikeQuestion(event.text))) return false;
  return true;
}

export const SHARE_FLAG = /(?:^|\s)(?:--share|公开)$/;

export function eventText(e: InboundEvent): string {
  if (e.type === "message") return e.text;
  if (e.type === "command") return `/${e.name}${e.args ? ` ${e.args}` : ""}`;
  if (e.type === "member_joined") return `[入群] ${e.members.map((m) => m.name ?? m.id).join("、")}`;
  return `[操作] ${e.actionId}=${e.value}`;
}

export function commandOf(e: InboundEvent): ParsedCommand | null {
  if (e.type === "command") return parseCommandText(`/${e.name} ${e.args}`);
  if (e.type === "message" && e.contentType === "text") return parseCommandText(e.text);
  return null;
}
