// On platforms without buttons (WeChat, the console) a prompt is answered by replying its option's number:
// a poll's score, or one of a question's choices (0: none of them). A bare number answers the latest
// prompt open to the person in that chat (src/prompts/store.ts), never one put to somebody else.
import type { Db } from "../db/client.ts";
import { addresseeOf, latestPrompt, openRatingFor, optionsOf, type PromptKind } from "../prompts/store.ts";
import { normalizeText } from "../text/normalize.ts";

export interface NumberedReply {
  prompt: { id: number; kind: PromptKind; ref: string };
  option: number;
  /** The option's value, as a button press would carry it ("0" for none of them). */
  value: string;
  /** "3，发货有点慢": what they added after the number. */
  comment?: string;
  /** "改成 3 分": the person says it replaces their earlier answer. */
  change?: boolean;
}

/**
 * "3", "3分", "3，发货慢", "3分：发货慢", "3分 发货慢": one line, a number alone or with a comment after a
 * comma or colon (or after 分). List items ("1、下周三前发货", "1. …") and several lines are not answers.
 */
const NUMBERED = /^\s*(0|[1-9]\d?)\s*(?:分\s*(?:[:：,，]?\s*([^\n]*\S))?|\s*[:：,，]\s*([^\n]*\S))?\s*[。!！]?\s*$/;
/** How people also write a choice's number: "第2个", "2号", "2.", "2？", "选2", "②". */
const CHOICE_FORM = /^\s*(?:选|选择|第)?\s*(0|[1-9])\s*(?:个|号|项|条)?\s*[.。?？!！]?\s*$/;
const CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨";

/** Full-width digits and circled numbers as plain digits: "２" and "②" are 2. */
const plainDigits = (text: string) =>
  text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[⓪①-⑨]/g, (c) => String(CIRCLED.indexOf(c)));

/** A message that is only a choice's number, in any of the ways people write one (also with nothing open to answer). */
export function choiceNumber(text: string): number | null {
  const m = CHOICE_FORM.exec(plainDigits(text));
  return m ? Number(m[1]) : null;
}

/** "改成 3 分": what follows is the answer, replacing the earlier one. */
const CHANGE = /^\s*(?:改成|改为|改到|换成|更正为|修改为)\s*[:：]?\s*([\s\S]+)$/;

/** "打分 4", "评分：2，还是没到": a rating said as one, whatever else was asked since. */
const RATED = /^\s*(?:打分|评分|打分数|评价)\s*[:：]?\s*([1-5])\s*分?\s*(?:[:：,，]\s*([^\n]*\S))?\s*[。!！]?\s*$/;

/** Whether this staff member ran a command in this chat after the one that opened the pick list. */
async function commandedSince(db: Db, chat: { id: number; platform: string }, staffId: number, pick: { eventId: string | null }): Promise<boolean> {
  const opener = pick.eventId?.replace(/^pick:/, "") ?? "";
  // Stored after the opener: a later id (a platform's timestamps may tie, or run behind the hub's clock).
  // The ids after it are the newest rows, a short range of the primary key.
  const later = await db.$queryRaw<unknown[]>`
    SELECT "id" FROM "Interaction"
    WHERE "id" > (SELECT "id" FROM "Interaction" WHERE "platform" = ${chat.platform} AND "externalMessageId" = ${opener})
      AND "chatId" = ${chat.id} AND "staffId" = ${staffId} AND "direction" = 'IN' AND "kind" = 'command'
    LIMIT 1`;
  return later.length > 0;
}

export async function numberedReply(db: Db, chat: { id: number; platform: string }, senderId: string, text: string, now: Date, opts: { commentRequired?: boolean; staffId?: number } = {}): Promise<NumberedReply | null> {
  // "改成 3 分", "改为3分，发货快了": a new answer in place of their earlier one.
  const changed = CHANGE.exec(normalizeText(plainDigits(text)));
  const plain = changed ? changed[1] : plainDigits(text);
  const rated = RATED.exec(normalizeText(plain));
  if (rated) {
    const rating = await openRatingFor(db, chat.id, addresseeOf(chat.platform, senderId), now);
    if (rating) return { prompt: { id: rating.id, kind: "RATING", ref: rating.ref }, option: Number(rated[1]), value: rated[1], ...(rated[2] ? { comment: rated[2] } : {}) };
  }
  const m = plain.includes("\n") ? null : (NUMBERED.exec(plain) ?? CHOICE_FORM.exec(plain));
  const said = m ? (m[2] ?? m[3])?.trim() : undefined;
  const comment = said && !/^[\p{P}\p{S}\s]+$/u.test(said) ? said : undefined; // "5分！" has no comment
  if (!m) return null;
  const prompt = await latestPrompt(db, chat.id, addresseeOf(chat.platform, senderId), now);
  if (!prompt) return null;
  const kind = prompt.kind as PromptKind;
  // A poll's comment comes typed with the score where there are buttons; a choice is just its number. A
  // rating is put to one person, whose bare number is their score on any platform.
  if (kind === "POLL" && opts.commentRequired && !comment) return null;
  const scored = kind === "POLL" || kind === "RATING";
  const options = optionsOf(prompt);
  const option = Number(m[1]);
  // A score or a staff pick list ignores a number it has no option for; choices answer it with how to pick (value "").
  if ((scored || kind === "PICK") && (option > options.length || option === 0)) return null;
  // A pick list answers the number typed right after it: once they ran another command there, it is stale.
  if (kind === "PICK" && opts.staffId !== undefined && (await commandedSince(db, chat, opts.staffId, prompt))) return null;
  const value = option === 0 ? "0" : (options[option - 1]?.value ?? "");
  return { prompt: { id: prompt.id, kind, ref: prompt.ref }, option, value, ...(comment && scored ? { comment } : {}), ...(changed && kind === "POLL" ? { change: true } : {}) };
}
