// What the hub finds out about an inbound event before routing it (who speaks, in which chat, whether it
// carries a command or answers a poll), and the row the event is stored as once it is routed.
import type { Adapter, InboundEvent } from "../../adapters/contract.ts";
import { choicesRef, ratingRef } from "../prompts/store.ts";
import { complaintIn } from "../text/complaint-words.ts";
import { bareConfirmation } from "../commands/confirmation.ts";
import type { ParsedCommand } from "../commands/parse.ts";
import type { InteractionInput } from "../history/log.ts";
import { cutText } from "../text/storable.ts";
import type { Actor, ResolvedChat } from "../types/identity.ts";
import type { Facts, Route } from "./classify.ts";
import type { HubDeps } from "./deps.ts";
import { commandOf, eventText } from "./event-kind.ts";
import { numberedReply } from "./numbered-reply.ts";

export interface Looked extends Facts {
  adapter: Adapter;
  /** The partner the event is filed under: the chat's, else the speaking contact's. */
  partnerId: number | null;
  /** The event's whole text, as the history shows it. */
  full: string;
}

export async function lookUp(deps: HubDeps, event: InboundEvent): Promise<Looked> {
  const { identities } = deps;
  const adapter = deps.adapters.get(event.platform);
  if (!adapter) throw new Error(`Event from platform ${event.platform} without an adapter`);
  const chat = await identities.chat(event.platform, event.chat);
  const actor = await identities.actor(event.platform, event.sender, chat);
  if (actor.kind === "contact" && chat.kind === "direct") await identities.directChatWith(chat, actor.contactId);
  const full = eventText(event);
  const tooLong = full.length > deps.maxMessageChars;
  // Staff may answer a confirmation with a plain 确认 / 取消 (src/commands/confirmation.ts).
  const typed = tooLong ? null : (commandOf(event) ?? (actor.kind === "staff" && event.type === "message" ? await bareConfirmation(deps.db, actor.staffId, chat.id, event.text, event.chat.kind === "direct" || event.mentioned) : null));
  // A bare number answers the latest prompt open to the sender (choices, or without buttons a poll);
  // with buttons, a typed "3，发货慢" is how a comment comes with a score, so that form counts everywhere.
  // Staff are looked up too (they may ask the bot and get choices); classify keeps them out of polls.
  const numbered = !tooLong && !typed && event.type === "message"
    ? await numberedReply(deps.db, { id: chat.id, platform: event.platform }, event.sender.id, event.text, deps.clock.now(), { commentRequired: adapter.capabilities.buttons, staffId: actor.kind === "staff" ? actor.staffId : undefined })
    : null;
  // A proposal or a complaint in plain words, unless it is a score's comment ("1，我要投诉…" answers the poll,
  // whose low score files the complaint itself).
  const command = typed ?? (tooLong || numbered ? null : (proposalOf(event, actor) ?? complaintOf(event, actor)));
  return { event, actor, chat, command, numbered, tooLong, capabilities: adapter.capabilities, adapter, partnerId: partnerOf(chat, actor), full };
}

/** "建议：…" (提案/提议, 我有个建议：…) from a partner: their proposal, as /proposal would file it (seed 000 第18条). */
const PROPOSAL = /^\s*(?:我(?:有|想提)?个?)?(?:建议|提案|提议)\s*[:：]\s*(\S[\s\S]*)$/;

function proposalOf(event: InboundEvent, actor: Actor): ParsedCommand | null {
  if (event.type !== "message" || event.contentType !== "text" || actor.kind === "staff") return null;
  const m = PROPOSAL.exec(event.text);
  return m ? { name: "proposal", args: m[1].trim() } : null;
}

/**
 * "我要投诉…", "投诉：…", "对你们的售后很不满意，要投诉" from a partner: a complaint, as /complaint would file it.
 * A question about complaining (投诉电话是多少) stays a question (src/text/complaint-words.ts).
 */
function complaintOf(event: InboundEvent, actor: Actor): ParsedCommand | null {
  if (event.type !== "message" || event.contentType !== "text" || actor.kind === "staff") return null;
  const said = complaintIn(event.text);
  return said ? { name: "complaint", args: said } : null;
}

export const partnerOf = (chat: ResolvedChat, actor: Actor) => chat.partnerId ?? (actor.kind === "contact" ? actor.partnerId : null);

/** The event's Interaction row: its kind and text say what it was taken for (a command, a vote, refused). */
export function inboundRow(f: Looked, route: Route, maxChars: number): InteractionInput {
  const { event, actor } = f;
  const vote = route.kind === "vote" ? route.numbered : null;
  const pick = route.kind === "pick" && route.numbered ? route : null;
  const rate = route.kind === "rate" && route.numbered ? route : null;
  const meta: Record<string, unknown> = {};
  if (vote || pick || rate) meta.via = "numbered_reply";
  if (event.type === "message" && event.contentType !== "text") meta.contentType = event.contentType;
  if (route.kind === "too_long") meta.originalLength = f.full.length;
  if (event.threadId) meta.threadId = event.threadId;
  const kind = route.kind === "too_long" ? "rejected" : route.kind === "command" ? "command" : vote || pick || rate ? "action" : event.type;
  const text =
    route.kind === "too_long" ? cutText(f.full, maxChars)
    : vote ? `[操作] poll:${vote.prompt.ref}:${vote.option}=${vote.value}${vote.comment ? ` ${vote.comment}` : ""}`
    : pick ? `[操作] poll:${choicesRef(pick.promptId)}:${pick.option}=${pick.value}`
    : rate ? `[操作] poll:${ratingRef(rate.promptId)}:${rate.score}=${rate.score}${rate.comment ? ` ${rate.comment}` : ""}`
    : f.full;
  return {
    platform: event.platform,
    direction: "IN",
    kind,
    text,
    partnerId: f.partnerId,
    contactId: actor.kind === "contact" ? actor.contactId : null,
    staffId: actor.kind === "staff" ? actor.staffId : null,
    chatId: f.chat.id,
    externalMessageId: event.messageId,
    createdAt: event.at,
    meta: Object.keys(meta).length ? meta : undefined,
  };
}
