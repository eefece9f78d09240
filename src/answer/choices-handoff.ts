// A question whose choices did not help goes to staff like any hand-off: when the partner answers
// 都不是 (option 0), or picks nothing before HUB_CHOICE_TIMEOUT_MINUTES. Filing the Question and closing
// the prompt are one transaction, so a pick and the timeout racing each other settle it once; a hub that
// stopped after filing finds the question on the prompt and says the same things again, under the same keys.
import { handOffTexts, questionRow, type HandOffVia } from "./handoff.ts";
import type { Suggestion } from "./answerer.ts";
import type { Db } from "../db/client.ts";
import { optionsOf, type PromptRow } from "../prompts/store.ts";

/** The choices a prompt offered, as staff see them (entry id and question). */
export const offeredOf = (prompt: PromptRow): Suggestion[] => optionsOf(prompt).map((o) => ({ id: o.value, question: o.label }));

class Settled extends Error {}

/**
 * The prompt's question filed for staff (or the one filed already), with what the partner and staff are
 * told; null when the prompt was settled otherwise meanwhile (picked before it timed out).
 * `from`: the statuses it may be filed from (a timeout: OPEN only; 都不是: also after a pick).
 */
export async function fileChoices(db: Db, prompt: PromptRow, via: Exclude<HandOffVia, "HANDOFF">, from: string[]) {
  const offered = offeredOf(prompt);
  const filed = async (id: number) => handOffTexts(db, await db.question.findUniqueOrThrow({ where: { id } }), offered);
  if (prompt.questionId) return filed(prompt.questionId);
  const row = await questionRow(db, {
    partnerId: prompt.partnerId, contactId: prompt.contactId, platform: prompt.platform, externalChatId: prompt.externalChatId,
    threadId: prompt.threadId ?? undefined, text: prompt.question ?? "", askedAt: prompt.askedAt ?? prompt.createdAt, via,
  }, offered);
  try {
    const question = await db.$transaction(async (tx) => {
      const q = await tx.question.create({ data: row });
      const moved = await tx.prompt.updateMany({ where: { id: prompt.id, status: { in: from }, questionId: null }, data: { status: via, questionId: q.id } });
      if (moved.count !== 1) throw new Settled();
      return q;
    });
    return handOffTexts(db, question, offered);
  } catch (err) {
    if (!(err instanceof Settled)) throw err;
    const now = await db.prompt.findUniqueOrThrow({ where: { id: prompt.id } });
    return now.questionId ? filed(now.questionId) : null;
  }
}
