// One of a question's choices picked, by a button or by replying its number: that entry's answer, cited,
// under the question, and the partner's wording learned for the entry (a close repeat is answered
// directly next time). Option 0 (都不是) hands the question to staff with the choices listed. Only the
// person who asked may pick; a platform's retry of the button event is stored once and answered once.
import { answerText } from "../../answer/answerer.ts";
import { learnFromPick, peopleNames } from "../../answer/kb-teach.ts";
import { noticeFor } from "../../answer/handoff.ts";
import { fileChoices } from "../../answer/choices-handoff.ts";
import { addresseeOf, optionsOf } from "../../prompts/store.ts";
import { HANDOFF_POST_AFTER_MS, tellStaff } from "./question.ts";
import type { Handler } from "./types.ts";

/** Said to someone pressing the choices offered to another person. */
export const NOT_YOUR_CHOICES = "这几个选项是给提问的那位的。您有问题可以直接问我。";

export const answerPick: Handler<"pick"> = async ({ facts, route, again }, deps) => {
  const { event } = facts;
  const { db } = deps;
  const prompt = await db.prompt.findUnique({ where: { id: route.promptId } });
  // Only in the chat the choices were offered in.
  if (!prompt || prompt.kind !== "CHOICES" || prompt.chatId !== facts.chat.id) return null;
  if (prompt.addressee !== addresseeOf(event.platform, event.sender.id)) return { messages: [{ type: "text", text: NOT_YOUR_CHOICES }], privately: true };
  const threadId = prompt.threadId ?? undefined;
  const withStaff = async (questionId: number) => ({ messages: [{ type: "text" as const, text: await noticeFor(db, questionId) }], threadId, privately: false });
  // Which entry: by the option's place in the prompt as stored, never by a value the button carried.
  const options = optionsOf(prompt);
  const entryId = route.option === 0 ? null : options[route.option - 1]?.value;
  if (entryId === undefined) return { messages: [{ type: "text", text: `请回复列表里的数字：${options.length === 1 ? "1" : `1-${options.length}`}，都不是请回复 0。` }], threadId, privately: false };
  const entry = entryId ? await deps.kb.get(entryId) : undefined;
  if (!entry) {
    // 都不是 (or an entry removed since it was offered): a colleague answers, the choices listed for them.
    const filed = await fileChoices(db, prompt, "NONE_FIT", ["OPEN", "PICKED"]);
    if (!filed) return null;
    await tellStaff(deps, filed.question, filed.toStaff, HANDOFF_POST_AFTER_MS);
    return { messages: [{ type: "text", text: filed.toPartner }], threadId, kind: "handoff", privately: false };
  }
  if (prompt.questionId) return withStaff(prompt.questionId);
  // The same choice pressed again: it was answered already.
  if (prompt.status === "PICKED" && prompt.pickedEntryId === entry.id && !again) return null;
  const picked = await db.prompt.updateMany({ where: { id: prompt.id, status: { in: ["OPEN", "PICKED"] } }, data: { status: "PICKED", pickedEntryId: entry.id, pickedAt: event.at } });
  if (picked.count !== 1) {
    const now = await db.prompt.findUnique({ where: { id: prompt.id }, select: { questionId: true } });
    return now?.questionId ? withStaff(now.questionId) : null;
  }
  if (prompt.question) await learnFromPick(db, deps.kb, prompt.question, entry.id, prompt.pickedEntryId, await peopleNames(db, { partnerId: prompt.partnerId, contactId: prompt.contactId }));
  // Filed as "picked", apart from direct answers: the morning digest counts each.
  return { messages: [{ type: "text", text: answerText({ kind: "answer", entry, confidence: 1 }) }], threadId, kind: "picked", privately: false };
};
