// On platforms without buttons (WeChat, the console) a poll is answered by replying its option's
// number. A bare number in a chat that was sent a poll lately is that answer.
import type { Db } from "../db/client.ts";

/** How long after a poll was sent a bare number in the chat still answers it. */
export const POLL_REPLY_WINDOW_MS = 7 * 86_400_000;

export interface NumberedVote {
  pollId: string;
  option: number;
  /** The option's value, as a button press would carry it. */
  value: string;
  /** "3，发货有点慢": what they added after the number. */
  comment?: string;
}

/**
 * "3", "3分", "3，发货慢", "3分：发货慢", "3分 发货慢": one line, a number alone or with a comment after a
 * comma or colon (or after 分). List items ("1、下周三前发货", "1. …") and several lines are not answers.
 */
const NUMBERED = /^\s*([1-9]\d?)\s*(?:分\s*(?:[:：,，]?\s*([^\n]*\S))?|\s*[:：,，]\s*([^\n]*\S))?\s*[。!！]?\s*$/;

export async function numberedVote(db: Db, chatId: number, text: string, now: Date, opts: { commentRequired?: boolean } = {}): Promise<NumberedVote | null> {
  const m = text.includes("\n") ? null : NUMBERED.exec(text);
  const said = m ? (m[2] ?? m[3])?.trim() : undefined;
  const comment = said && !/^[\p{P}\p{S}\s]+$/u.test(said) ? said : undefined; // "5分！" has no comment
  if (!m || (opts.commentRequired && !comment)) return null;
  const sent = await db.interaction.findFirst({
    // Only polls the chat actually received (not a send that failed).
    where: { chatId, pollId: { not: null }, direction: "OUT", kind: { not: "send_failed" }, createdAt: { gte: new Date(now.getTime() - POLL_REPLY_WINDOW_MS) } },
    orderBy: { createdAt: "desc" },
    select: { pollId: true, meta: true },
  });
  if (!sent?.pollId || !sent.meta) return null;
  // The options' values, as the outbox recorded what it sent (messageMeta).
  const { values } = JSON.parse(sent.meta) as { values?: string[] };
  const option = Number(m[1]);
  if (!values || option > values.length) return null;
  return { pollId: sent.pollId, option, value: values[option - 1], ...(comment ? { comment } : {}) };
}
