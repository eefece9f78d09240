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

/** "3", "3分", "3，发货慢", "3分：发货慢" — a number alone, or followed by punctuation and a comment. */
const NUMBERED = /^\s*([1-9]\d?)\s*分?\s*(?:[.。、:：,，;；!！-]\s*([\s\S]*\S))?\s*[.。!！]?\s*$/;

export async function numberedVote(db: Db, chatId: number, text: string, now: Date, opts: { commentRequired?: boolean } = {}): Promise<NumberedVote | null> {
  const m = NUMBERED.exec(text);
  if (!m || (opts.commentRequired && !m[2])) return null;
  const sent = await db.interaction.findFirst({
    // Only polls the chat actually received (not a send that failed).
    where: { chatId, direction: "OUT", kind: { not: "send_failed" }, createdAt: { gte: new Date(now.getTime() - POLL_REPLY_WINDOW_MS) }, meta: { contains: '"type":"poll"' } },
    orderBy: { createdAt: "desc" },
    select: { meta: true },
  });
  if (!sent?.meta) return null;
  const { pollId, values } = JSON.parse(sent.meta) as { pollId?: string; values?: string[] };
  const option = Number(m[1]);
  if (!pollId || !values || option > values.length) return null;
  return { pollId, option, value: values[option - 1], ...(m[2] ? { comment: m[2].trim() } : {}) };
}
